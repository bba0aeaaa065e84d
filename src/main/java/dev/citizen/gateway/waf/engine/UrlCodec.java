package dev.citizen.gateway.waf.engine;

import dev.citizen.gateway.http.Hex;

/** The URL decoders ModSecurity v3 uses before the rules see a value. Byte strings in and out. */
final class UrlCodec {
  private UrlCodec() {}

  /**
   * {@code utils::uri_decode}: {@code %XX} with two hex digits becomes the byte, anything else
   * (including {@code +}) stays. Used for REQUEST_URI and REQUEST_FILENAME.
   */
  static String uriDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < n) {
        int h = Hex.value(s.charAt(i + 1));
        int l = Hex.value(s.charAt(i + 2));
        if (h >= 0 && l >= 0) {
          b.append((char) ((h << 4) | l));
          i += 2;
          continue;
        }
      }
      b.append(c);
    }
    return b.toString();
  }

  /** Result of {@link #formDecode}: the value and whether an invalid encoding was kept. */
  record Decoded(String value, boolean invalid) {}

  /**
   * {@code urldecode_nonstrict_inplace}: {@code +} is a space, valid {@code %XX} is decoded, an
   * invalid one is kept as written and flagged (URLENCODED_ERROR).
   */
  static Decoded formDecode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return new Decoded(s, false);
    }
    StringBuilder b = new StringBuilder(s.length());
    boolean invalid = false;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 < n) {
          int h = Hex.value(s.charAt(i + 1));
          int l = Hex.value(s.charAt(i + 2));
          if (h >= 0 && l >= 0) {
            b.append((char) ((h << 4) | l));
            i += 2;
            continue;
          }
        }
        invalid = true;
        b.append(c);
      } else if (c == '+') {
        b.append(' ');
      } else {
        b.append(c);
      }
    }
    return new Decoded(b.toString(), invalid);
  }
}
