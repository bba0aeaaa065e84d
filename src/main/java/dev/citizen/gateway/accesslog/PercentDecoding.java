package dev.citizen.gateway.accesslog;

import dev.citizen.gateway.http.Hex;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lenient percent-decoding for what is logged: {@code %XX} runs become their UTF-8 text (bytes
 * that are not UTF-8 become U+FFFD), anything malformed is kept as it was. A {@code +} stays a
 * {@code +}: in a query it may mean a space (HTML forms) or a phone number's plus sign, and for the
 * masker the plus sign matters.
 */
final class PercentDecoding {
  private PercentDecoding() {}

  static String decode(String s) {
    if (s == null || s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int hi;
      int lo;
      if (c == '%' && i + 2 < s.length() && (hi = Hex.value(s.charAt(i + 1))) >= 0
          && (lo = Hex.value(s.charAt(i + 2))) >= 0) {
        bytes.write(hi << 4 | lo);
        i += 3;
        continue;
      }
      flush(bytes, out);
      out.append(c);
      i++;
    }
    flush(bytes, out);
    return out.toString();
  }

  private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
    if (bytes.size() > 0) {
      out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
      bytes.reset();
    }
  }
}
