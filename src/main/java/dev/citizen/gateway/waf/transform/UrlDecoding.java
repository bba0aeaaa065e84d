package dev.citizen.gateway.waf.transform;

import static dev.citizen.gateway.waf.transform.Bytes.isHex;
import static dev.citizen.gateway.waf.transform.Bytes.x2c;

/**
 * {@code urlDecode} and {@code urlDecodeUni}, non-strict like ModSecurity: an invalid or truncated
 * {@code %} escape is kept as it is, {@code +} becomes a space.
 */
final class UrlDecoding {
  private UrlDecoding() {}

  /** ModSecurity's {@code urldecode_nonstrict_inplace}. */
  static String urlDecode(String in) {
    if (in.indexOf('%') < 0 && in.indexOf('+') < 0) {
      return in;
    }
    int n = in.length();
    char[] out = new char[n];
    int d = 0;
    int i = 0;
    while (i < n) {
      char c = in.charAt(i);
      if (c == '%') {
        if (i + 2 < n && isHex(in.charAt(i + 1)) && isHex(in.charAt(i + 2))) {
          out[d++] = x2c(in, i + 1);
          i += 3;
        } else {
          out[d++] = c;
          i++;
        }
      } else {
        out[d++] = c == '+' ? ' ' : c;
        i++;
      }
    }
    return Bytes.sameOr(in, out, d);
  }

  /**
   * ModSecurity's {@code urldecode_uni_nonstrict_inplace_ex} without a unicode map
   * ({@code SecUnicodeMapFile}): {@code %uHHHH} keeps its low byte, except full-width ASCII
   * U+FF01..U+FF5E which maps to U+0021..U+007E (the low byte plus 0x20).
   */
  static String urlDecodeUni(String in) {
    if (in.indexOf('%') < 0 && in.indexOf('+') < 0) {
      return in;
    }
    int n = in.length();
    char[] out = new char[n];
    int d = 0;
    int i = 0;
    while (i < n) {
      char c = in.charAt(i);
      if (c != '%') {
        out[d++] = c == '+' ? ' ' : c;
        i++;
        continue;
      }
      if (i + 1 < n && (in.charAt(i + 1) == 'u' || in.charAt(i + 1) == 'U')) {
        if (i + 5 < n
            && isHex(in.charAt(i + 2))
            && isHex(in.charAt(i + 3))
            && isHex(in.charAt(i + 4))
            && isHex(in.charAt(i + 5))) {
          out[d++] = fullWidthLowByte(in, i + 2);
          i += 6;
        } else {
          // Invalid or truncated %u: both characters stay.
          out[d++] = in.charAt(i++);
          out[d++] = in.charAt(i++);
        }
      } else if (i + 2 < n && isHex(in.charAt(i + 1)) && isHex(in.charAt(i + 2))) {
        out[d++] = x2c(in, i + 1);
        i += 3;
      } else {
        out[d++] = c;
        i++;
      }
    }
    return Bytes.sameOr(in, out, d);
  }

  /**
   * The byte for the four hex digits at {@code s[at..at+3]} of a {@code %u}/{@code \\u} escape:
   * the low byte, plus 0x20 for full-width ASCII (FF01..FF5E).
   */
  static char fullWidthLowByte(CharSequence s, int at) {
    char low = x2c(s, at + 2);
    char h1 = s.charAt(at);
    char h2 = s.charAt(at + 1);
    if (low > 0 && low < 0x5f && (h1 == 'f' || h1 == 'F') && (h2 == 'f' || h2 == 'F')) {
      return (char) (low + 0x20);
    }
    return low;
  }
}
