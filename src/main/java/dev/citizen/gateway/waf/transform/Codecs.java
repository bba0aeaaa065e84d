package dev.citizen.gateway.waf.transform;

import static dev.citizen.gateway.waf.transform.Bytes.isHex;

/**
 * Encodings: {@code base64Decode}, {@code base64DecodeExt}, {@code base64Encode}, {@code
 * hexDecode}, {@code hexEncode}, {@code sqlHexDecode}, {@code urlEncode}.
 */
final class Codecs {
  private Codecs() {}

  private static final String B64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Standard alphabet values, -1 for anything else. */
  private static final int[] STRICT = new int[256];

  /**
   * ModSecurity's forgiving table for {@code base64DecodeExt}: the URL-safe {@code -} and {@code _}
   * count as {@code +} and {@code /}, everything else not in the alphabet is skipped.
   */
  private static final int[] FORGIVING = new int[256];

  static {
    java.util.Arrays.fill(STRICT, -1);
    java.util.Arrays.fill(FORGIVING, -1);
    for (int i = 0; i < 64; i++) {
      STRICT[B64.charAt(i)] = i;
      FORGIVING[B64.charAt(i)] = i;
    }
    FORGIVING['-'] = 62;
    FORGIVING['_'] = 63;
  }

  /**
   * Decodes the leading run of base64 characters and stops at the first other byte (padding, NUL,
   * anything): ModSecurity 2's behaviour, which decodes what it can rather than nothing.
   */
  static String base64Decode(String in) {
    int n = in.length();
    StringBuilder out = new StringBuilder(n * 3 / 4 + 2);
    int acc = 0;
    int bits = 0;
    for (int i = 0; i < n; i++) {
      char c = in.charAt(i);
      int v = c < 256 ? STRICT[c] : -1;
      if (v < 0) {
        break;
      }
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.append((char) ((acc >> bits) & 0xFF));
      }
    }
    return Bytes.sameOr(in, out);
  }

  /** ModSecurity's {@code decode_forgiven_engine}, quirks included. */
  static String base64DecodeExt(String in) {
    int n = in.length();
    char[] out = new char[n];
    int sextets = 0;
    int j = 0;
    int last = 0; // the last byte read, after table lookup as in the C code
    for (int p = 0; p < n; p++) {
      char c = in.charAt(p);
      last = c;
      if (c == '=') {
        char next = p + 1 < n ? in.charAt(p + 1) : 0;
        if (next != '=' && sextets % 4 == 1) {
          return "";
        }
        continue;
      }
      int v = c < 256 ? FORGIVING[c] : -1;
      last = v;
      if (v < 0) {
        continue;
      }
      switch (sextets % 4) {
        case 0 -> out[j] = (char) ((v << 2) & 0xFF);
        case 1 -> {
          out[j] = (char) ((out[j] | (v >> 4)) & 0xFF);
          j++;
          out[j] = (char) (((v & 0x0f) << 4) & 0xFF);
        }
        case 2 -> {
          out[j] = (char) ((out[j] | (v >> 2)) & 0xFF);
          j++;
          out[j] = (char) (((v & 0x03) << 6) & 0xFF);
        }
        default -> {
          out[j] = (char) ((out[j] | v) & 0xFF);
          j++;
        }
      }
      sextets++;
    }
    // The C code compares the last looked-up value with '=' (61), so a trailing '9' counts too.
    if (last == '=' && sextets % 4 == 1) {
      return "";
    }
    return Bytes.sameOr(in, out, j);
  }

  static String base64Encode(String in) {
    return java.util.Base64.getEncoder().encodeToString(Bytes.toBytes(in));
  }

  /** Pairs of hex digits to bytes, ModSecurity style: no validation, an odd last digit is dropped. */
  static String hexDecode(String in) {
    int n = in.length();
    if (n == 0) {
      return in;
    }
    char[] out = new char[n / 2];
    int d = 0;
    for (int i = 0; i + 1 < n; i += 2) {
      out[d++] = (char) ((looseHex(in.charAt(i)) * 16 + looseHex(in.charAt(i + 1))) & 0xFF);
    }
    return new String(out, 0, d);
  }

  /** ModSecurity's {@code x2c} digit, which does not check that the byte is a hex digit. */
  private static int looseHex(char c) {
    return c >= 'A' ? ((c & 0xdf) - 'A') + 10 : c - '0';
  }

  static String hexEncode(String in) {
    char[] out = new char[in.length() * 2];
    for (int i = 0; i < in.length(); i++) {
      char c = in.charAt(i);
      out[2 * i] = HEX[(c >> 4) & 0xF];
      out[2 * i + 1] = HEX[c & 0xF];
    }
    return new String(out);
  }

  /** {@code 0x} followed by hex pairs becomes those bytes (MySQL hex literals); the rest stays. */
  static String sqlHexDecode(String in) {
    int n = in.length();
    if (n < 4 || (in.indexOf("0x") < 0 && in.indexOf("0X") < 0)) {
      return in;
    }
    StringBuilder out = new StringBuilder(n);
    int i = 0;
    while (i < n) {
      char c = in.charAt(i);
      if (c == '0'
          && i + 3 < n
          && (in.charAt(i + 1) == 'x' || in.charAt(i + 1) == 'X')
          && isHex(in.charAt(i + 2))
          && isHex(in.charAt(i + 3))) {
        i += 2;
        while (i + 1 < n && isHex(in.charAt(i)) && isHex(in.charAt(i + 1))) {
          out.append(Bytes.x2c(in, i));
          i += 2;
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return Bytes.sameOr(in, out);
  }

  /** ModSecurity's {@code urlEncode}: space to {@code +}, letters, digits and {@code *} kept, the rest %xx. */
  static String urlEncode(String in) {
    StringBuilder out = new StringBuilder(in.length() * 3);
    for (int i = 0; i < in.length(); i++) {
      char c = in.charAt(i);
      if (c == ' ') {
        out.append('+');
      } else if (Bytes.isAlnum(c) || c == '*') {
        out.append(c);
      } else {
        out.append('%').append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
      }
    }
    return Bytes.sameOr(in, out);
  }
}
