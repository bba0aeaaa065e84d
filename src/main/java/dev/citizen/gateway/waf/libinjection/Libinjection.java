package dev.citizen.gateway.waf.libinjection;

import java.nio.charset.StandardCharsets;

/**
 * The SQL-injection and XSS detectors behind {@code @detectSQLi} and {@code @detectXSS}: a Java
 * port of libinjection 3.9.2, the version ModSecurity 3.0 embeds, with its keyword and fingerprint
 * table (resource {@code waf/libinjection/sqli-keywords.tsv}, BSD-3-Clause, see the LICENSE
 * beside it).
 *
 * <p>Inputs are byte strings (one char per byte, 0..255). A char above 255 breaks that contract;
 * such a string is read as its UTF-8 bytes, which is what ModSecurity would have seen. Neither
 * method throws for any input; both are thread-safe (the SQLi tokenizer is one per thread).
 */
public final class Libinjection {
  /**
   * One tokenizer per thread, reused: its tokens are some 1 KB, and a fresh set per call was
   * allocated for every value the SQLi rules look at.
   */
  private static final ThreadLocal<SqliTokenizer> TOKENIZERS = ThreadLocal.withInitial(SqliTokenizer::new);

  private Libinjection() {}

  /**
   * The libinjection fingerprint (e.g. {@code s&sos}, what ModSecurity captures into {@code TX:0})
   * when {@code input} is SQL injection, else null.
   */
  public static String sqli(String input) {
    if (input == null || input.isEmpty()) {
      return null;
    }
    SqliTokenizer state = TOKENIZERS.get();
    state.input(asBytes(input), 0);
    try {
      return SqliDetector.isSqli(state) ? state.fingerprint() : null;
    } finally {
      state.forget();
    }
  }

  /** Whether {@code input} is an XSS attempt by libinjection's HTML5 tokenizer rules. */
  public static boolean xss(String input) {
    if (input == null || input.isEmpty()) {
      return false;
    }
    return XssDetector.isXss(asBytes(input));
  }

  /** The input itself when it is a byte string, else its UTF-8 bytes as one char per byte. */
  static String asBytes(String input) {
    for (int i = 0; i < input.length(); i++) {
      if (input.charAt(i) > 0xFF) {
        return new String(input.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
      }
    }
    return input;
  }
}
