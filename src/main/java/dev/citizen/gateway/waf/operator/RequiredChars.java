package dev.citizen.gateway.waf.operator;

/**
 * PCRE's "required character" optimisation, which java.util.regex lacks: the literal characters
 * that every match of a pattern must contain, found by a conservative walk of the pattern's
 * top-level sequence (groups, classes, escapes other than escaped punctuation, and optional atoms
 * are skipped; a top-level {@code |} or extended mode gives up). When the value lacks one of them
 * the search cannot succeed and is skipped; letters are checked in both cases, which is right
 * whatever the {@code (?i)} flags say. Without it, patterns such as {@code (\d+)-(\d+)} cost
 * quadratic time on a long run of digits, where PCRE answers at once.
 */
final class RequiredChars {
  private RequiredChars() {}

  private static final char[] NONE = new char[0];

  /** The required characters (letters in lower case), at most 8, or an empty array. */
  static char[] of(String p) {
    if (p.contains("(?x") || p.contains("(?-") || p.contains("\\Q")) {
      return NONE;
    }
    StringBuilder required = new StringBuilder();
    int n = p.length();
    int i = 0;
    while (i < n) {
      char c = p.charAt(i);
      int atomEnd;
      char literal = 0;
      boolean isLiteral = false;
      switch (c) {
        case '|':
          return NONE;
        case '(':
          atomEnd = groupEnd(p, i);
          if (atomEnd < 0) {
            return NONE;
          }
          break;
        case '[':
          atomEnd = classEnd(p, i);
          if (atomEnd < 0) {
            return NONE;
          }
          break;
        case '\\':
          if (i + 1 >= n) {
            return NONE;
          }
          char e = p.charAt(i + 1);
          atomEnd = i + 2;
          if (Character.isDigit(e)) {
            return collected(required); // octal or a back-reference: stop, keep what we have
          }
          if (!Character.isLetterOrDigit(e) && e < 0x80) {
            literal = e;
            isLiteral = true;
          } else if (e == 'x' || e == 'c' || e == 'p' || e == 'P' || e == 'g' || e == 'k') {
            return collected(required); // escapes with arguments: stop here, keep what we have
          }
          break;
        case '.', '^', '$':
          atomEnd = i + 1;
          break;
        case '*', '+', '?', '{', ')', ']', '}':
          return collected(required); // unexpected here: stop, keep what we have
        default:
          atomEnd = i + 1;
          literal = c;
          isLiteral = true;
      }
      boolean optional = false;
      if (atomEnd < n) {
        char q = p.charAt(atomEnd);
        if (q == '?' || q == '*') {
          optional = true;
        } else if (q == '{' && atomEnd + 1 < n && p.charAt(atomEnd + 1) == '0') {
          optional = true;
        } else if (q == '{' && atomEnd + 1 < n && p.charAt(atomEnd + 1) == ',') {
          optional = true;
        }
      }
      if (isLiteral && !optional) {
        char lower = Character.toLowerCase(literal);
        if (lower < 0x80 && required.indexOf(String.valueOf(lower)) < 0) {
          required.append(lower);
          if (required.length() == 8) {
            return collected(required);
          }
        }
      }
      i = skipQuantifier(p, atomEnd);
    }
    return collected(required);
  }

  /** The index after a quantifier ({@code ? * + {n,m}} with a lazy or possessive mark) at {@code i}. */
  private static int skipQuantifier(String p, int i) {
    int n = p.length();
    if (i >= n) {
      return i;
    }
    char q = p.charAt(i);
    if (q == '?' || q == '*' || q == '+') {
      i++;
    } else if (q == '{') {
      int close = p.indexOf('}', i);
      if (close < 0 || !p.substring(i + 1, close).matches("\\d*,?\\d*")) {
        return i; // a literal '{': the caller stops there
      }
      i = close + 1;
    } else {
      return i;
    }
    if (i < n && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
      i++;
    }
    return i;
  }

  private static char[] collected(StringBuilder required) {
    return required.length() == 0 ? NONE : required.toString().toCharArray();
  }

  /** Whether {@code input} holds every required character (letters in either case). */
  static boolean presentIn(char[] required, String input) {
    for (char c : required) {
      if (input.indexOf(c) < 0) {
        char upper = Character.toUpperCase(c);
        if (upper == c || input.indexOf(upper) < 0) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Whether a search for {@code p} may be anchored at the start of the value, as PCRE does
   * implicitly for a pattern that starts with {@code .*} in DOTALL mode: any match found at a
   * later start is also found from the first character. Leading inline flags are allowed; a
   * top-level alternative is not.
   */
  static boolean startsWithDotStar(String p) {
    int i = 0;
    while (p.startsWith("(?", i) && i + 2 < p.length() && Character.isLetter(p.charAt(i + 2))) {
      int close = p.indexOf(')', i);
      if (close < 0 || p.substring(i + 2, close).chars().anyMatch(c -> !Character.isLetter(c))) {
        return false;
      }
      i = close + 1;
    }
    if (!p.startsWith(".*", i)) {
      return false;
    }
    int j = 0;
    while (j < p.length()) {
      char c = p.charAt(j);
      if (c == '\\') {
        j += 2;
      } else if (c == '[') {
        j = classEnd(p, j);
        if (j < 0) {
          return false;
        }
      } else if (c == '(') {
        j = groupEnd(p, j);
        if (j < 0) {
          return false;
        }
      } else if (c == '|') {
        return false;
      } else {
        j++;
      }
    }
    return true;
  }

  /** The index after the ')' closing the group opened at {@code open}, or -1. */
  private static int groupEnd(String p, int open) {
    int depth = 0;
    int i = open;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '[') {
        i = classEnd(p, i);
        if (i < 0) {
          return -1;
        }
        continue;
      }
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      }
      i++;
    }
    return -1;
  }

  /** The index after the ']' closing the class opened at {@code open}, or -1. */
  private static int classEnd(String p, int open) {
    int i = open + 1;
    if (i < p.length() && p.charAt(i) == '^') {
      i++;
    }
    if (i < p.length() && p.charAt(i) == ']') {
      i++; // a leading ] is literal
    }
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '[' && i + 1 < p.length() && p.charAt(i + 1) == ':') {
        int close = p.indexOf(":]", i + 2);
        if (close > 0) {
          i = close + 2;
          continue;
        }
      }
      if (c == ']') {
        return i + 1;
      }
      i++;
    }
    return -1;
  }
}
