package dev.citizen.gateway.waf.engine;

/**
 * {@code Transaction::extractArguments}: split on the separator (empty pieces included, as
 * ModSecurity's {@code ssplit} does, except a trailing one), then at the first {@code =}; both sides
 * form-decoded.
 */
final class FormParser {
  private FormParser() {}

  /** @return whether any piece had an invalid %-encoding */
  static boolean parse(String text, char separator, String origin, ArgumentSink sink) {
    boolean invalid = false;
    int n = text.length();
    int start = 0;
    while (start < n) {
      int end = text.indexOf(separator, start);
      if (end < 0) {
        end = n;
      }
      String piece = text.substring(start, end);
      int eq = piece.indexOf('=');
      String key = eq < 0 ? piece : piece.substring(0, eq);
      String value = eq < 0 ? "" : piece.substring(eq + 1);
      UrlCodec.Decoded k = UrlCodec.formDecode(key);
      UrlCodec.Decoded v = UrlCodec.formDecode(value);
      invalid |= k.invalid() | v.invalid();
      sink.addArgument(origin, k.value(), v.value());
      start = end + 1;
    }
    return invalid;
  }
}
