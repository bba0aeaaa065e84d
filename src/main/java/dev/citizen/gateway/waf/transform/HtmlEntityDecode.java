package dev.citizen.gateway.waf.transform;

import static dev.citizen.gateway.waf.transform.Bytes.isAlnum;
import static dev.citizen.gateway.waf.transform.Bytes.isDigit;
import static dev.citizen.gateway.waf.transform.Bytes.isHex;

/**
 * {@code htmlEntityDecode} as ModSecurity does it: {@code &#ddd;} and {@code &#xhh;} with or
 * without the semicolon (the value keeps only its low byte), and the five named entities
 * ModSecurity knows ({@code quot amp lt gt nbsp}, any case); anything else stays as written.
 */
final class HtmlEntityDecode {
  private HtmlEntityDecode() {}

  private static final char NBSP = 0xA0;

  static String apply(String in) {
    if (in.indexOf('&') < 0) {
      return in;
    }
    int n = in.length();
    StringBuilder out = new StringBuilder(n);
    int i = 0;
    while (i < n) {
      int copy = 1;
      if (in.charAt(i) == '&' && i + 1 < n) {
        int j = i + 1;
        if (in.charAt(j) == '#') {
          copy++;
          if (j + 1 < n) {
            j++;
            boolean hex = in.charAt(j) == 'x' || in.charAt(j) == 'X';
            if (hex) {
              copy++;
            }
            if (!hex || j + 1 < n) {
              if (hex) {
                j++;
              }
              int k = j;
              while (j < n && (hex ? isHex(in.charAt(j)) : isDigit(in.charAt(j)))) {
                j++;
              }
              if (j > k) {
                out.append(strtolLowByte(in, k, j, hex ? 16 : 10));
                i = j < n && in.charAt(j) == ';' ? j + 1 : j;
                continue;
              }
            }
          }
        } else {
          int k = j;
          while (j < n && isAlnum(in.charAt(j))) {
            j++;
          }
          if (j > k) {
            char decoded = named(in.substring(k, j));
            if (decoded != 0) {
              out.append(decoded);
              i = j < n && in.charAt(j) == ';' ? j + 1 : j;
              continue;
            }
            copy = j - k + 1;
          }
        }
      }
      for (int z = 0; z < copy && i < n; z++) {
        out.append(in.charAt(i++));
      }
    }
    return Bytes.sameOr(in, out);
  }

  private static char named(String name) {
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "quot":
        return '"';
      case "amp":
        return '&';
      case "lt":
        return '<';
      case "gt":
        return '>';
      case "nbsp":
        return NBSP;
      default:
        return 0;
    }
  }

  /** C's {@code (unsigned char) strtol(digits, NULL, radix)}: overflow saturates to LONG_MAX. */
  static char strtolLowByte(CharSequence s, int from, int to, int radix) {
    long value = 0;
    for (int p = from; p < to; p++) {
      int digit = Character.digit(s.charAt(p), radix);
      if (value > (Long.MAX_VALUE - digit) / radix) {
        return 0xFF;
      }
      value = value * radix + digit;
    }
    return (char) (value & 0xFF);
  }
}
