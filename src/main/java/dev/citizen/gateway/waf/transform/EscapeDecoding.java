package dev.citizen.gateway.waf.transform;

import static dev.citizen.gateway.waf.transform.Bytes.hexValue;
import static dev.citizen.gateway.waf.transform.Bytes.isHex;
import static dev.citizen.gateway.waf.transform.Bytes.isOctal;
import static dev.citizen.gateway.waf.transform.Bytes.isSpace;
import static dev.citizen.gateway.waf.transform.Bytes.x2c;

/**
 * Backslash-escape decoders after ModSecurity: {@code jsDecode} (JavaScript), {@code cssDecode}
 * (CSS 2) and {@code escapeSeqDecode} (ANSI C). Each differs in small ways that CRS's regression
 * tests notice, so each is ported on its own rather than shared.
 */
final class EscapeDecoding {
  private EscapeDecoding() {}

  /** ModSecurity's {@code js_decode_nonstrict_inplace}. */
  static String jsDecode(String in) {
    if (in.indexOf('\\') < 0) {
      return in;
    }
    int n = in.length();
    char[] out = new char[n];
    int d = 0;
    int i = 0;
    while (i < n) {
      char c = in.charAt(i);
      if (c != '\\') {
        out[d++] = c;
        i++;
        continue;
      }
      if (i + 5 < n
          && in.charAt(i + 1) == 'u'
          && isHex(in.charAt(i + 2))
          && isHex(in.charAt(i + 3))
          && isHex(in.charAt(i + 4))
          && isHex(in.charAt(i + 5))) {
        out[d++] = UrlDecoding.fullWidthLowByte(in, i + 2);
        i += 6;
      } else if (i + 3 < n
          && in.charAt(i + 1) == 'x'
          && isHex(in.charAt(i + 2))
          && isHex(in.charAt(i + 3))) {
        out[d++] = x2c(in, i + 2);
        i += 4;
      } else if (i + 1 < n && isOctal(in.charAt(i + 1))) {
        int j = octalRun(in, i + 1);
        // At most one byte: \000 - \377.
        if (j == 3 && in.charAt(i + 1) > '3') {
          j = 2;
        }
        out[d++] = (char) (Integer.parseInt(in.substring(i + 1, i + 1 + j), 8) & 0xFF);
        i += 1 + j;
      } else if (i + 1 < n) {
        out[d++] = simpleEscape(in.charAt(i + 1));
        i += 2;
      } else {
        // A lone trailing backslash stays.
        out[d++] = c;
        i++;
      }
    }
    return Bytes.sameOr(in, out, d);
  }

  /** ModSecurity's {@code css_decode_inplace}. */
  static String cssDecode(String in) {
    if (in.indexOf('\\') < 0) {
      return in;
    }
    int n = in.length();
    char[] out = new char[n];
    int d = 0;
    int i = 0;
    while (i < n) {
      char c = in.charAt(i);
      if (c != '\\') {
        out[d++] = c;
        i++;
        continue;
      }
      if (i + 1 >= n) {
        // A backslash at the very end continues to nothing: dropped.
        i++;
        continue;
      }
      i++;
      int j = 0;
      while (j < 6 && i + j < n && isHex(in.charAt(i + j))) {
        j++;
      }
      if (j > 0) {
        boolean fullCheck = false;
        char v;
        if (j == 1) {
          v = (char) hexValue(in.charAt(i));
        } else {
          v = x2c(in, i + j - 2); // only the last two digits count
          if (j == 4) {
            fullCheck = true;
          } else if (j == 5) {
            fullCheck = in.charAt(i) == '0';
          } else if (j == 6) {
            fullCheck = in.charAt(i) == '0' && in.charAt(i + 1) == '0';
          }
        }
        if (fullCheck
            && v > 0
            && v < 0x5f
            && (in.charAt(i + j - 3) == 'f' || in.charAt(i + j - 3) == 'F')
            && (in.charAt(i + j - 4) == 'f' || in.charAt(i + j - 4) == 'F')) {
          v += 0x20;
        }
        out[d++] = v;
        // One whitespace after a hex escape belongs to the escape.
        if (i + j < n && isSpace(in.charAt(i + j))) {
          j++;
        }
        i += j;
      } else if (in.charAt(i) == '\n') {
        i++; // an escaped newline is a line continuation
      } else {
        out[d++] = in.charAt(i++);
      }
    }
    return Bytes.sameOr(in, out, d);
  }

  /** ModSecurity's {@code ansi_c_sequences_decode_inplace}. */
  static String escapeSeqDecode(String in) {
    if (in.indexOf('\\') < 0) {
      return in;
    }
    int n = in.length();
    char[] out = new char[n];
    int d = 0;
    int i = 0;
    while (i < n) {
      char ch = in.charAt(i);
      if (ch != '\\' || i + 1 >= n) {
        out[d++] = ch;
        i++;
        continue;
      }
      int c = -1;
      char next = in.charAt(i + 1);
      switch (next) {
        case 'a' -> c = 7;
        case 'b' -> c = '\b';
        case 'f' -> c = '\f';
        case 'n' -> c = '\n';
        case 'r' -> c = '\r';
        case 't' -> c = '\t';
        case 'v' -> c = 0x0b;
        case '\\', '?', '\'', '"' -> c = next;
        default -> {}
      }
      if (c != -1) {
        i += 2;
      } else if (next == 'x' || next == 'X') {
        if (i + 3 < n && isHex(in.charAt(i + 2)) && isHex(in.charAt(i + 3))) {
          c = x2c(in, i + 2);
          i += 4;
        }
      } else if (isOctal(next)) {
        int j = octalRun(in, i + 1);
        c = Integer.parseInt(in.substring(i + 1, i + 1 + j), 8) & 0xFF;
        i += 1 + j;
      }
      if (c == -1) {
        // Not an escape ModSecurity knows: the backslash goes, the character stays.
        out[d++] = in.charAt(i + 1);
        i += 2;
      } else {
        out[d++] = (char) c;
      }
    }
    return Bytes.sameOr(in, out, d);
  }

  /** How many octal digits (1..3) start at {@code from}; the first is known to be one. */
  private static int octalRun(String in, int from) {
    int j = 1;
    while (j < 3 && from + j < in.length() && isOctal(in.charAt(from + j))) {
      j++;
    }
    return j;
  }

  private static char simpleEscape(char c) {
    return switch (c) {
      case 'a' -> 7;
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'v' -> 0x0b;
      default -> c; // \? \\ \' \" and the rest: the escape character goes
    };
  }
}
