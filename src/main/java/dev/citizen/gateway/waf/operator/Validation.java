package dev.citizen.gateway.waf.operator;

import java.util.BitSet;

/**
 * The validation operators, which match when the value is NOT valid: {@code @validateByteRange},
 * {@code @validateUrlEncoding}, {@code @validateUtf8Encoding}.
 */
final class Validation {
  private Validation() {}

  /**
   * {@code @validateByteRange 1-255} or {@code 9,10,13,32-126}: matches when the value holds a
   * byte outside the listed ranges.
   */
  static Operator byteRange(String parameter) {
    BitSet allowed = new BitSet(256);
    for (String part : parameter.split(",")) {
      String range = part.trim();
      if (range.isEmpty()) {
        continue;
      }
      int dash = range.indexOf('-');
      int from;
      int to;
      try {
        if (dash < 0) {
          from = to = Integer.parseInt(range);
        } else {
          from = Integer.parseInt(range.substring(0, dash).trim());
          to = Integer.parseInt(range.substring(dash + 1).trim());
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("@validateByteRange: not a byte range: " + range);
      }
      if (from < 0 || to > 255 || from > to) {
        throw new IllegalArgumentException(
            "@validateByteRange: " + range + " (expected: 0..255, low-high)");
      }
      allowed.set(from, to + 1);
    }
    return (ctx, input) -> {
      for (int i = 0; i < input.length(); i++) {
        char c = input.charAt(i);
        if (c > 255 || !allowed.get(c)) {
          return true;
        }
      }
      return false;
    };
  }

  /** {@code @validateUrlEncoding}: matches on a {@code %} not followed by two hex digits. */
  static Operator urlEncoding() {
    return (ctx, input) -> {
      int n = input.length();
      int i = 0;
      while (i < n) {
        if (input.charAt(i) == '%') {
          if (i + 2 >= n || !isHex(input.charAt(i + 1)) || !isHex(input.charAt(i + 2))) {
            return true;
          }
          i += 3;
        } else {
          i++;
        }
      }
      return false;
    };
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * {@code @validateUtf8Encoding}: matches when the bytes are not valid UTF-8 (RFC 3629): a stray
   * continuation or invalid lead byte, a missing continuation, an overlong form, a surrogate
   * (U+D800..U+DFFF) or a code point above U+10FFFF.
   */
  static Operator utf8Encoding() {
    return (ctx, input) -> !isValidUtf8(input);
  }

  static boolean isValidUtf8(String s) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      int c = s.charAt(i);
      int len;
      int cp;
      if (c < 0x80) {
        i++;
        continue;
      } else if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
      } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
      } else if ((c & 0xF8) == 0xF0 && c < 0xF5) {
        len = 4;
        cp = c & 0x07;
      } else {
        return false;
      }
      if (i + len > n) {
        return false;
      }
      for (int k = 1; k < len; k++) {
        int b = s.charAt(i + k);
        if ((b & 0xC0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (b & 0x3F);
      }
      if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) {
        return false; // overlong
      }
      if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
        return false;
      }
      i += len;
    }
    return true;
  }
}
