package dev.citizen.gateway.waf.transform;

import static dev.citizen.gateway.waf.transform.Bytes.isSpace;

/**
 * Whitespace and NUL transformations: {@code compressWhitespace}, {@code removeWhitespace}, {@code
 * trim}, {@code trimLeft}, {@code trimRight}, {@code removeNulls}, {@code replaceNulls}. Whitespace
 * is C's {@code isspace}; compress and remove also treat the non-breaking space (0xA0) as space,
 * as ModSecurity does.
 */
final class Whitespace {
  private Whitespace() {}

  private static final char NBSP = 0xA0;

  static String compress(String in) {
    int n = in.length();
    char[] out = new char[n];
    int d = 0;
    boolean inSpace = false;
    for (int i = 0; i < n; i++) {
      char c = in.charAt(i);
      if (isSpace(c) || c == NBSP) {
        if (!inSpace) {
          out[d++] = ' ';
          inSpace = true;
        }
      } else {
        out[d++] = c;
        inSpace = false;
      }
    }
    return Bytes.sameOr(in, out, d);
  }

  static String remove(String in) {
    int n = in.length();
    char[] out = new char[n];
    int d = 0;
    for (int i = 0; i < n; i++) {
      char c = in.charAt(i);
      if (!isSpace(c) && c != NBSP) {
        out[d++] = c;
      }
    }
    return d == n ? in : new String(out, 0, d);
  }

  static String trimLeft(String in) {
    int i = 0;
    while (i < in.length() && isSpace(in.charAt(i))) {
      i++;
    }
    return i == 0 ? in : in.substring(i);
  }

  static String trimRight(String in) {
    int e = in.length();
    while (e > 0 && isSpace(in.charAt(e - 1))) {
      e--;
    }
    return e == in.length() ? in : in.substring(0, e);
  }

  static String trim(String in) {
    return trimRight(trimLeft(in));
  }

  static String removeNulls(String in) {
    if (in.indexOf(0) < 0) {
      return in;
    }
    StringBuilder out = new StringBuilder(in.length());
    for (int i = 0; i < in.length(); i++) {
      if (in.charAt(i) != 0) {
        out.append(in.charAt(i));
      }
    }
    return out.toString();
  }

  static String replaceNulls(String in) {
    return in.indexOf(0) < 0 ? in : in.replace((char) 0, ' ');
  }
}
