package dev.citizen.gateway.waf.transform;

/**
 * {@code lowercase} and {@code uppercase} (ASCII letters only, like C's {@code tolower} in the "C"
 * locale: a Latin-1 byte such as 0xC9 is not a letter), and the 7-bit parity transformations.
 */
final class CaseAndParity {
  private CaseAndParity() {}

  static String lowercase(String in) {
    int n = in.length();
    int first = -1;
    for (int i = 0; i < n; i++) {
      char c = in.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        first = i;
        break;
      }
    }
    if (first < 0) {
      return in;
    }
    char[] out = in.toCharArray();
    for (int i = first; i < n; i++) {
      out[i] = Bytes.toLower(out[i]);
    }
    return new String(out);
  }

  static String uppercase(String in) {
    int n = in.length();
    char[] out = null;
    for (int i = 0; i < n; i++) {
      char c = in.charAt(i);
      if (c >= 'a' && c <= 'z') {
        if (out == null) {
          out = in.toCharArray();
        }
        out[i] = (char) (c - 32);
      }
    }
    return out == null ? in : new String(out);
  }

  /** Sets bit 7 so that each byte has even parity (ModSecurity's {@code parityEven7bit}). */
  static String parityEven(String in) {
    return parity(in, true);
  }

  /** Sets bit 7 so that each byte has odd parity. */
  static String parityOdd(String in) {
    return parity(in, false);
  }

  /** Clears bit 7 of each byte. */
  static String parityZero(String in) {
    char[] out = new char[in.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (char) (in.charAt(i) & 0x7F);
    }
    return Bytes.sameOr(in, out, out.length);
  }

  private static String parity(String in, boolean even) {
    char[] out = new char[in.length()];
    for (int i = 0; i < out.length; i++) {
      int x = in.charAt(i) & 0xFF;
      boolean odd = (Integer.bitCount(x) & 1) == 1;
      out[i] = (char) (odd == even ? x | 0x80 : x & 0x7F);
    }
    return Bytes.sameOr(in, out, out.length);
  }
}
