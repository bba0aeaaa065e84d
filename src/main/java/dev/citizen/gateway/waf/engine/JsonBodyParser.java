package dev.citizen.gateway.waf.engine;

import dev.citizen.gateway.http.Hex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON request body processor, after ModSecurity v3's yajl callbacks (json.cc): every scalar
 * becomes an argument whose name is the path of containers — the root is {@code json}, an object
 * member adds {@code .key}, an array element adds {@code .array_N} — e.g. {@code json.a.b} and
 * {@code json.list.array_0}. Numbers keep their text, booleans are {@code true}/{@code false},
 * null is the empty string. Works on byte strings; {@code \}u escapes become UTF-8 bytes.
 */
final class JsonBodyParser {

  /** Thrown for a body that is not one JSON value. */
  static final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    JsonException(String message) {
      super(message);
    }
  }

  private static final int MAX_DEPTH = 512;

  private final String s;
  private final ArgumentSink sink;
  private int pos;
  /** The open containers: for an array, its next element's index; -1 for an object. */
  private final List<int[]> counters = new ArrayList<>();
  /**
   * Per open container, the path up to and including its name: what every argument inside it
   * starts with. Built once when the container opens (its parents' indexes cannot change while
   * it is open), not once per scalar.
   */
  private final List<String> bases = new ArrayList<>();
  private String currentKey = "";

  private JsonBodyParser(String s, ArgumentSink sink) {
    this.s = s;
    this.sink = sink;
  }

  static void parse(String body, ArgumentSink sink) throws JsonException {
    JsonBodyParser p = new JsonBodyParser(body, sink);
    p.skipWs();
    if (p.pos >= p.s.length()) {
      throw new JsonException("premature EOF");
    }
    p.value(0);
    p.skipWs();
    if (p.pos < p.s.length()) {
      throw new JsonException("trailing garbage at offset " + p.pos);
    }
  }

  /**
   * The name of what comes next, as v3's {@code getCurrentKey()} has it: {@code json} for the root;
   * else the last object key read, used up by the one value or container it names. Nothing is left
   * for an element of an array (its position names it: {@code json.list.array_0.key}, not
   * {@code array_0list.key}), and an empty key in an object is {@code empty-key}.
   */
  private String currentName() {
    if (counters.isEmpty()) {
      return "json";
    }
    String key = currentKey;
    if (key.isEmpty()) {
      return counters.get(counters.size() - 1)[0] >= 0 ? "" : "empty-key";
    }
    currentKey = "";
    return key;
  }

  private void value(int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw new JsonException("nesting deeper than " + MAX_DEPTH);
    }
    skipWs();
    if (pos >= s.length()) {
      throw new JsonException("premature EOF");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> scalar(string());
      case 't' -> literal("true", "true");
      case 'f' -> literal("false", "false");
      case 'n' -> literal("null", "");
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          scalar(number());
        } else {
          throw new JsonException("invalid char at offset " + pos);
        }
      }
    }
  }

  private void object(int depth) throws JsonException {
    open(-1);
    pos++;
    skipWs();
    if (peek() == '}') {
      pos++;
    } else {
      while (true) {
        skipWs();
        if (peek() != '"') {
          throw new JsonException("object key expected at offset " + pos);
        }
        currentKey = string();
        skipWs();
        if (peek() != ':') {
          throw new JsonException("':' expected at offset " + pos);
        }
        pos++;
        value(depth + 1);
        skipWs();
        char c = peek();
        pos++;
        if (c == '}') {
          break;
        }
        if (c != ',') {
          throw new JsonException("',' or '}' expected at offset " + (pos - 1));
        }
      }
    }
    close();
  }

  private void array(int depth) throws JsonException {
    open(0);
    pos++;
    skipWs();
    if (peek() == ']') {
      pos++;
    } else {
      while (true) {
        value(depth + 1);
        skipWs();
        char c = peek();
        pos++;
        if (c == ']') {
          break;
        }
        if (c != ',') {
          throw new JsonException("',' or ']' expected at offset " + (pos - 1));
        }
      }
    }
    close();
  }

  /** Opens a container: {@code counter} 0 for an array, -1 for an object. */
  private void open(int counter) {
    String name = currentName();
    String base = counters.isEmpty() ? name : prefix(counters.size() - 1) + name;
    counters.add(new int[] {counter});
    bases.add(base);
  }

  /** The path of the open containers up to container {@code i}, with its separator. */
  private String prefix(int i) {
    int n = counters.get(i)[0];
    return n >= 0 ? bases.get(i) + ".array_" + n : bases.get(i) + ".";
  }

  private void close() {
    counters.remove(counters.size() - 1);
    bases.remove(bases.size() - 1);
    if (!counters.isEmpty() && counters.get(counters.size() - 1)[0] >= 0) {
      counters.get(counters.size() - 1)[0]++;
    }
  }

  private void scalar(String value) {
    String path;
    if (counters.isEmpty()) {
      path = "json";
    } else {
      int top = counters.size() - 1;
      int[] counter = counters.get(top);
      if (counter[0] >= 0) {
        path = prefix(top);
        counter[0]++;
      } else {
        path = bases.get(top) + "." + currentName();
      }
    }
    sink.addArgument("JSON", path, value);
  }

  private void literal(String word, String value) throws JsonException {
    if (!s.startsWith(word, pos)) {
      throw new JsonException("invalid literal at offset " + pos);
    }
    pos += word.length();
    scalar(value);
  }

  private String number() throws JsonException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digits = pos;
    while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
      pos++;
    }
    if (pos == digits) {
      throw new JsonException("malformed number at offset " + start);
    }
    if (peek() == '.') {
      pos++;
      int frac = pos;
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      if (pos == frac) {
        throw new JsonException("malformed number at offset " + start);
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      int exp = pos;
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      if (pos == exp) {
        throw new JsonException("malformed number at offset " + start);
      }
    }
    return s.substring(start, pos);
  }

  private String string() throws JsonException {
    pos++;
    // Most strings hold no escape: one scan to the closing quote, one substring.
    for (int i = pos; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        String plain = s.substring(pos, i);
        pos = i + 1;
        return plain;
      }
      if (c == '\\' || c < 0x20) {
        break; // the general loop below decodes it, or names the bad character
      }
    }
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw new JsonException("premature EOF in string");
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw new JsonException("invalid char in string at offset " + (pos - 1));
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (pos >= s.length()) {
        throw new JsonException("premature EOF in string");
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          int cp = hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF && s.startsWith("\\u", pos)) {
            int save = pos;
            pos += 2;
            int low = hex4();
            if (low >= 0xDC00 && low <= 0xDFFF) {
              cp = Character.toCodePoint((char) cp, (char) low);
            } else {
              pos = save;
            }
          }
          byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
          b.append(new String(utf8, StandardCharsets.ISO_8859_1));
        }
        default -> throw new JsonException("invalid escape at offset " + (pos - 1));
      }
    }
  }

  private int hex4() throws JsonException {
    if (pos + 4 > s.length()) {
      throw new JsonException("invalid \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int h = Hex.value(s.charAt(pos + i));
      if (h < 0) {
        throw new JsonException("invalid \\u escape at offset " + pos);
      }
      v = (v << 4) | h;
    }
    pos += 4;
    return v;
  }

  private char peek() {
    return pos < s.length() ? s.charAt(pos) : '\0';
  }

  private void skipWs() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        break;
      }
    }
  }
}
