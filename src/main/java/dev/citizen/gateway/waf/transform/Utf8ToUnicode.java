package dev.citizen.gateway.waf.transform;

/**
 * {@code utf8toUnicode}: each valid UTF-8 multi-byte sequence becomes ModSecurity's {@code %uXXXX}
 * form (lowercase hex, at least four digits), so that rules written for {@code %u} also see UTF-8
 * input. A port of ModSecurity's {@code utf8_unicode_inplace_ex}, quirks included: a lead byte whose
 * sequence is broken or truncated is dropped, stray continuation bytes and 0xF8..0xFF stay, an
 * overlong or surrogate sequence is followed by its lead byte, and NUL bytes are dropped.
 */
final class Utf8ToUnicode {
  private Utf8ToUnicode() {}

  static String apply(String in) {
    int n = in.length();
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      char c = in.charAt(i);
      if (c >= 0x80 || c == 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return in;
    }
    StringBuilder out = new StringBuilder(n * 2);
    int i = 0;
    while (i < n) {
      char c = in.charAt(i);
      int len = 0; // > 0: a valid sequence of that length; < 0: a broken one
      int d = 0;
      if ((c & 0x80) == 0) {
        if (c != 0) {
          out.append(c);
        }
      } else if ((c & 0xE0) == 0xC0) {
        if (!continuation(in, i + 1)) {
          len = -1;
        } else {
          len = 2;
          d = ((c & 0x1F) << 6) | (in.charAt(i + 1) & 0x3F);
          appendU(out, d);
        }
      } else if ((c & 0xF0) == 0xE0) {
        if (!continuation(in, i + 1) || !continuation(in, i + 2)) {
          len = -1;
        } else {
          len = 3;
          d = ((c & 0x0F) << 12) | ((in.charAt(i + 1) & 0x3F) << 6) | (in.charAt(i + 2) & 0x3F);
          appendU(out, d);
        }
      } else if ((c & 0xF8) == 0xF0) {
        if (c >= 0xF5) {
          out.append(c); // beyond U+10FFFF
        }
        if (!continuation(in, i + 1) || !continuation(in, i + 2) || !continuation(in, i + 3)) {
          len = -1;
        } else {
          len = 4;
          d = ((c & 0x07) << 18)
              | ((in.charAt(i + 1) & 0x3F) << 12)
              | ((in.charAt(i + 2) & 0x3F) << 6)
              | (in.charAt(i + 3) & 0x3F);
          appendU(out, d);
        }
      } else {
        out.append(c);
      }
      if (d >= 0xD800 && d <= 0xDFFF) {
        out.append(c);
      }
      if ((len == 4 && d < 0x10000) || (len == 3 && d < 0x800) || (len == 2 && d < 0x80)) {
        out.append(c); // overlong
      }
      i += len > 0 ? len : 1;
    }
    return Bytes.sameOr(in, out);
  }

  private static boolean continuation(String in, int at) {
    return at < in.length() && (in.charAt(at) & 0xC0) == 0x80;
  }

  private static void appendU(StringBuilder out, int codePoint) {
    String hex = Integer.toHexString(codePoint);
    out.append("%u");
    for (int p = hex.length(); p < 4; p++) {
      out.append('0');
    }
    out.append(hex);
  }
}
