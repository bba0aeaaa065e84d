package dev.citizen.gateway.accesslog;

/**
 * Writes one JSON object, field by field, into a {@link StringBuilder}: what the access log and
 * the JSON log encoder use instead of a JSON library, so that a line costs one builder (reused per
 * thread) and one String, no tree and no reflection.
 *
 * <p>Strings are escaped per RFC 8259: quote, backslash and every control character (U+0000 to
 * U+001F) are escaped, so a value can never end the string or the line early. So are DEL and the
 * C1 controls (U+007F to U+009F, which terminals act on), U+2028 and U+2029 (JavaScript-based log
 * tools treat them as line ends) and a lone surrogate (it has no UTF-8 form). Other non-ASCII text
 * is written as is: the log output is UTF-8.
 */
public final class JsonLine {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out;
  private boolean first = true;

  /** Starts an object in {@code out}, which is cleared first. */
  public JsonLine(StringBuilder out) {
    this.out = out;
    out.setLength(0);
    out.append('{');
  }

  /**
   * A field name rendered once ({@code "name":}), for the fields a line always has: escaping the
   * same constant names on every line was a fifth of the access line's cost.
   */
  public static final class Key {
    private final String rendered;

    private Key(String rendered) {
      this.rendered = rendered;
    }

    public static Key of(String name) {
      StringBuilder sb = new StringBuilder(name.length() + 3);
      string(sb, name);
      return new Key(sb.append(':').toString());
    }
  }

  /** A string field; nothing is written when {@code value} is null. */
  public JsonLine field(Key key, CharSequence value) {
    if (value != null) {
      name(key);
      string(out, value);
    }
    return this;
  }

  public JsonLine field(Key key, long value) {
    name(key);
    out.append(value);
    return this;
  }

  /** A string field; nothing is written when {@code value} is null. */
  public JsonLine field(String name, CharSequence value) {
    if (value != null) {
      name(name);
      string(out, value);
    }
    return this;
  }

  public JsonLine field(String name, long value) {
    name(name);
    out.append(value);
    return this;
  }

  /** A number as Java writes it (exponents included, which JSON allows); see {@link #isJsonNumber}. */
  public JsonLine number(String name, Number value) {
    name(name);
    out.append(value);
    return this;
  }

  /**
   * Whether {@link #number} writes {@code n} as valid JSON: the JDK's integer types and
   * BigDecimal, and finite doubles and floats (NaN and infinities have no JSON form).
   */
  public static boolean isJsonNumber(Number n) {
    if (n instanceof Double || n instanceof Float) {
      return Double.isFinite(n.doubleValue());
    }
    return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
        || n instanceof java.math.BigInteger || n instanceof java.math.BigDecimal;
  }

  public JsonLine field(String name, boolean value) {
    name(name);
    out.append(value);
    return this;
  }

  /** Nanoseconds as milliseconds with three decimals (microsecond precision), e.g. {@code 12.345}. */
  public JsonLine millis(String name, long nanos) {
    name(name);
    return millisValue(nanos);
  }

  public JsonLine millis(Key key, long nanos) {
    name(key);
    return millisValue(nanos);
  }

  private JsonLine millisValue(long nanos) {
    if (nanos < 0) {
      out.append('-');
      nanos = -nanos;
    }
    long micros = nanos / 1_000;
    out.append(micros / 1_000).append('.');
    long frac = micros % 1_000;
    if (frac < 100) {
      out.append('0');
    }
    if (frac < 10) {
      out.append('0');
    }
    out.append(frac);
    return this;
  }

  /** An ISO-8601 UTC timestamp with milliseconds, e.g. {@code "2025-03-01T09:30:00.123Z"}. */
  public JsonLine timestamp(String name, long epochMillis) {
    name(name);
    return timestampValue(epochMillis);
  }

  public JsonLine timestamp(Key key, long epochMillis) {
    name(key);
    return timestampValue(epochMillis);
  }

  private JsonLine timestampValue(long epochMillis) {
    out.append('"');
    IsoTimestamp.append(out, epochMillis);
    out.append('"');
    return this;
  }

  /** Opens a nested object field; close it with {@link #endObject}. */
  public JsonLine beginObject(String name) {
    name(name);
    out.append('{');
    first = true;
    return this;
  }

  public JsonLine endObject() {
    out.append('}');
    first = false;
    return this;
  }

  /** Closes the object; the builder then holds exactly one JSON object (no line end). */
  public StringBuilder end() {
    return out.append('}');
  }

  private void name(Key key) {
    if (!first) {
      out.append(',');
    }
    first = false;
    out.append(key.rendered);
  }

  private void name(String name) {
    if (!first) {
      out.append(',');
    }
    first = false;
    string(out, name);
    out.append(':');
  }

  /** Appends {@code s} as a quoted, escaped JSON string. */
  public static void string(StringBuilder out, CharSequence s) {
    out.append('"');
    int n = s.length();
    int plain = 0; // start of the run of characters that need no escape, appended in one go
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
        continue;
      }
      if (c >= 0xa0 && c != '\u2028' && c != '\u2029' && !Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a well-formed pair: UTF-8 can carry it
        continue;
      }
      out.append(s, plain, i);
      plain = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
            .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
      }
    }
    if (plain == 0 && s instanceof String whole) {
      out.append(whole); // one array copy; the (CharSequence, start, end) form copies char by char
    } else {
      out.append(s, plain, n);
    }
    out.append('"');
  }
}
