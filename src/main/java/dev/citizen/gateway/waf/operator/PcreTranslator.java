package dev.citizen.gateway.waf.operator;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a PCRE pattern (as ModSecurity compiles it, without UTF mode) into a {@link
 * java.util.regex.Pattern} with the same meaning over byte strings. Done once per {@code @rx} when
 * the rules load. What differs between the two dialects, and what this does about it:
 *
 * <ul>
 *   <li>{@code {} that is not a quantifier ({@code a{}, {@code {,5}}, {@code {foo}}) is a literal
 *       in PCRE and an error in Java: escaped.
 *   <li>Inside a character class PCRE takes {@code [} literally (unless it opens a POSIX class
 *       such as {@code [:alpha:]}) and {@code &&} literally; Java nests classes and intersects:
 *       {@code [} and the second {@code &} are escaped, POSIX classes become {@code \p{Alpha}}
 *       and friends, and a {@code ]} right after {@code [} or {@code [^} stays a literal.
 *   <li>{@code \b} in a class is a backspace in PCRE: {@code \x08}.
 *   <li>{@code \b} and {@code \B} outside classes: Java 17 decides word characters with Unicode
 *       letters (so byte 0xE9 is a word character), PCRE with ASCII {@code \w}: rewritten with
 *       look-arounds on {@code \w}.
 *   <li>{@code \0}, {@code \0o}, {@code \0oo} (octal) and {@code \xH} (one hex digit): to {@code \xHH}.
 *   <li>An escaped letter that is no escape ({@code \i}, {@code \y}, {@code \_}...) is the letter
 *       itself in PCRE and an error in Java: the letter, quoted. Escaped punctuation is fine in
 *       both.
 *   <li>{@code \Q...\E}, {@code \x{..}}, {@code \h}, {@code \v}, {@code \R}, {@code \z}, {@code \Z},
 *       {@code \A}, {@code \e}, {@code \cX}, possessive and atomic groups and named groups mean
 *       the same in both and are copied.
 * </ul>
 *
 * The engine compiles the result with {@code DOTALL | MULTILINE | UNIX_LINES}: ModSecurity v3
 * compiles every {@code @rx} with {@code PCRE_DOTALL | PCRE_MULTILINE}, PCRE's only newline is LF,
 * and Java's default case folding and {@code \w \d \s} are ASCII-only like PCRE's.
 */
final class PcreTranslator {
  private PcreTranslator() {}

  static final int FLAGS = Pattern.DOTALL | Pattern.MULTILINE | Pattern.UNIX_LINES;

  private static final Pattern QUANTIFIER = Pattern.compile("\\{\\d+(,\\d*)?\\}");

  private static final Map<String, String> POSIX =
      Map.ofEntries(
          Map.entry("alnum", "\\p{Alnum}"),
          Map.entry("alpha", "\\p{Alpha}"),
          Map.entry("ascii", "\\p{ASCII}"),
          Map.entry("blank", "\\p{Blank}"),
          Map.entry("cntrl", "\\p{Cntrl}"),
          Map.entry("digit", "\\p{Digit}"),
          Map.entry("graph", "\\p{Graph}"),
          Map.entry("lower", "\\p{Lower}"),
          Map.entry("print", "\\p{Print}"),
          Map.entry("punct", "\\p{Punct}"),
          Map.entry("space", "\\s"),
          Map.entry("upper", "\\p{Upper}"),
          Map.entry("word", "\\w"),
          Map.entry("xdigit", "\\p{XDigit}"));

  private static final Map<String, String> POSIX_NEGATED =
      Map.ofEntries(
          Map.entry("alnum", "\\P{Alnum}"),
          Map.entry("alpha", "\\P{Alpha}"),
          Map.entry("ascii", "\\P{ASCII}"),
          Map.entry("blank", "\\P{Blank}"),
          Map.entry("cntrl", "\\P{Cntrl}"),
          Map.entry("digit", "\\P{Digit}"),
          Map.entry("graph", "\\P{Graph}"),
          Map.entry("lower", "\\P{Lower}"),
          Map.entry("print", "\\P{Print}"),
          Map.entry("punct", "\\P{Punct}"),
          Map.entry("space", "\\S"),
          Map.entry("upper", "\\P{Upper}"),
          Map.entry("word", "\\W"),
          Map.entry("xdigit", "\\P{XDigit}"));

  /** Escape letters Java understands with the same meaning as PCRE (outside classes). */
  private static final String JAVA_LETTER_ESCAPES = "tnrfaedDsSwWhHvVRAGZzpPX";

  private static final String WORD_BOUNDARY = "(?:(?<=\\w)(?!\\w)|(?<!\\w)(?=\\w))";
  private static final String NOT_WORD_BOUNDARY = "(?:(?<=\\w)(?=\\w)|(?<!\\w)(?!\\w))";

  /** Compiles a PCRE pattern; {@link java.util.regex.PatternSyntaxException} if it cannot. */
  static Pattern compile(String pcre) {
    String java = translate(pcre);
    if (RequiredChars.startsWithDotStar(pcre)) {
      // PCRE anchors a leading .* in DOTALL mode; without this a failing search is quadratic.
      java = "\\A(?:" + java + ")";
    }
    return Pattern.compile(java, FLAGS);
  }

  static String translate(String p) {
    StringBuilder out = new StringBuilder(p.length() + 16);
    int n = p.length();
    int i = 0;
    boolean inClass = false;
    int classStart = -1; // index in p just after "[" or "[^"
    while (i < n) {
      char c = p.charAt(i);
      if (c == '\\') {
        if (i + 1 >= n) {
          out.append("\\\\");
          i++;
          continue;
        }
        char e = p.charAt(i + 1);
        if (e == 'Q') {
          int end = p.indexOf("\\E", i + 2);
          String literal = end < 0 ? p.substring(i + 2) : p.substring(i + 2, end);
          appendLiteral(out, literal, inClass);
          i = end < 0 ? n : end + 2;
          continue;
        }
        if (e == 'E') {
          i += 2; // a stray \E is ignored by PCRE
          continue;
        }
        i = escape(p, i, out, inClass);
        continue;
      }
      if (inClass) {
        if (c == ']' && i != classStart) {
          inClass = false;
          out.append(']');
        } else if (c == ']') {
          out.append("\\]"); // "[]" and "[^]" start with a literal ]
        } else if (c == '[') {
          int close = posixEnd(p, i);
          if (close > 0) {
            boolean negated = p.charAt(i + 2) == '^';
            String name = p.substring(i + (negated ? 3 : 2), close);
            String cls = (negated ? POSIX_NEGATED : POSIX).get(name);
            if (cls == null) {
              throw new IllegalArgumentException("unknown POSIX class [:" + name + ":]");
            }
            out.append(cls);
            i = close + 2;
            continue;
          }
          out.append("\\[");
        } else if (c == '&') {
          out.append("\\&");
        } else {
          out.append(c);
        }
        i++;
        continue;
      }
      switch (c) {
        case '[' -> {
          inClass = true;
          out.append('[');
          i++;
          if (i < n && p.charAt(i) == '^') {
            out.append('^');
            i++;
          }
          classStart = i;
          continue;
        }
        case '{' -> {
          Matcher m = QUANTIFIER.matcher(p).region(i, n);
          if (m.lookingAt() && i > 0) {
            out.append(m.group());
            i = m.end();
          } else {
            out.append("\\{");
            i++;
          }
          continue;
        }
        case '}' -> out.append("\\}");
        default -> out.append(c);
      }
      i++;
    }
    return out.toString();
  }

  /** The index of ":]" closing a POSIX class that starts with "[:" at {@code i}, or -1. */
  private static int posixEnd(String p, int i) {
    if (i + 1 >= p.length() || p.charAt(i + 1) != ':') {
      return -1;
    }
    int j = i + 2;
    if (j < p.length() && p.charAt(j) == '^') {
      j++;
    }
    int k = j;
    while (k < p.length() && Character.isLetter(p.charAt(k))) {
      k++;
    }
    if (k > j && p.startsWith(":]", k)) {
      return k;
    }
    return -1;
  }

  /** Translates the escape at {@code p[i]} (a backslash) and returns the index after it. */
  private static int escape(String p, int i, StringBuilder out, boolean inClass) {
    int n = p.length();
    char e = p.charAt(i + 1);
    if (e == '0') {
      // \0, \0o, \0oo: octal
      int j = i + 2;
      int value = 0;
      while (j < n && j < i + 4 && p.charAt(j) >= '0' && p.charAt(j) <= '7') {
        value = value * 8 + (p.charAt(j) - '0');
        j++;
      }
      appendHexByte(out, value);
      return j;
    }
    if (e == 'x') {
      if (i + 2 < n && p.charAt(i + 2) == '{') {
        int close = p.indexOf('}', i + 3);
        if (close < 0) {
          throw new IllegalArgumentException("unterminated \\x{ at " + i);
        }
        out.append(p, i, close + 1);
        return close + 1;
      }
      int j = i + 2;
      int value = 0;
      while (j < n && j < i + 4 && Character.digit(p.charAt(j), 16) >= 0) {
        value = value * 16 + Character.digit(p.charAt(j), 16);
        j++;
      }
      appendHexByte(out, value);
      return j;
    }
    if (e == 'c' && i + 2 < n) {
      out.append(p, i, i + 3);
      return i + 3;
    }
    if (e == 'b') {
      out.append(inClass ? "\\x08" : WORD_BOUNDARY);
      return i + 2;
    }
    if (e == 'B' && !inClass) {
      out.append(NOT_WORD_BOUNDARY);
      return i + 2;
    }
    if (e >= '1' && e <= '9' && !inClass) {
      out.append('\\').append(e); // a back-reference
      return i + 2;
    }
    if ((e == 'p' || e == 'P') && i + 2 < n) {
      if (p.charAt(i + 2) == '{') {
        int close = p.indexOf('}', i + 3);
        if (close > 0) {
          out.append(p, i, close + 1);
          return close + 1;
        }
      }
      out.append(p, i, i + 3);
      return i + 3;
    }
    if (Character.isLetterOrDigit(e) && e < 0x80) {
      if (JAVA_LETTER_ESCAPES.indexOf(e) >= 0 && !(inClass && "RXABGZz".indexOf(e) >= 0)) {
        out.append('\\').append(e);
      } else {
        // No escape in PCRE either (\i, \y, \_...): the character itself.
        appendLiteral(out, String.valueOf(e), inClass);
      }
      return i + 2;
    }
    // Escaped punctuation, space or a high byte: literal in both dialects.
    appendLiteral(out, String.valueOf(e), inClass);
    return i + 2;
  }

  private static void appendHexByte(StringBuilder out, int value) {
    out.append(String.format("\\x%02x", value & 0xFF));
  }

  /** Appends text that must match literally, escaping what Java would read as syntax. */
  private static void appendLiteral(StringBuilder out, String literal, boolean inClass) {
    for (int k = 0; k < literal.length(); k++) {
      char c = literal.charAt(k);
      if (Character.isLetterOrDigit(c) || c == ' ' || c > 0x7F) {
        out.append(c);
      } else if (c < 0x20 || c == 0x7F) {
        appendHexByte(out, c);
      } else {
        out.append('\\').append(c);
      }
    }
  }
}
