package dev.citizen.gateway.waf.transform;

import dev.citizen.gateway.http.Hex;

/**
 * Byte-level helpers shared by the transformations, with C's {@code <ctype.h>} semantics in the "C"
 * locale (what ModSecurity uses): only ASCII letters are letters, only the six ASCII blanks are
 * space. A value's chars are bytes 0..255.
 */
final class Bytes {
  private Bytes() {}

  static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  static boolean isOctal(char c) {
    return c >= '0' && c <= '7';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAlnum(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** C {@code isspace}: space, \t, \n, \v, \f, \r. */
  static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  /** An ASCII hex digit's value, or -1 ({@link Hex#value}). */
  static int hexValue(char c) {
    return Hex.value(c);
  }

  /** ModSecurity's {@code x2c}: two hex digits at {@code s[i]}, {@code s[i+1]} to one byte. */
  static char x2c(CharSequence s, int i) {
    return (char) ((hexValue(s.charAt(i)) << 4) | hexValue(s.charAt(i + 1)));
  }

  static char toLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  /** The input itself when the output has the same content, so callers can tell "unchanged" cheaply. */
  static String sameOr(String input, CharSequence output) {
    if (output.length() == input.length() && input.contentEquals(output)) {
      return input;
    }
    return output.toString();
  }

  static String sameOr(String input, char[] out, int len) {
    if (len == input.length()) {
      boolean same = true;
      for (int i = 0; i < len; i++) {
        if (out[i] != input.charAt(i)) {
          same = false;
          break;
        }
      }
      if (same) {
        return input;
      }
    }
    return new String(out, 0, len);
  }

  /** A byte string from raw bytes, one char per byte. */
  static String fromBytes(byte[] bytes) {
    return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** The bytes of a byte string (chars above 0xFF, which should not occur, keep their low byte). */
  static byte[] toBytes(String s) {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) s.charAt(i);
    }
    return b;
  }
}
