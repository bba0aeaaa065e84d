package dev.citizen.gateway.waf.libinjection;

/**
 * The SQL-injection and XSS detectors behind {@code @detectSQLi} and {@code @detectXSS}, after
 * libinjection's published algorithm and fingerprint data. Inputs are byte strings.
 */
public final class Libinjection {
  private Libinjection() {}

  /** The libinjection fingerprint (e.g. {@code s&1c}) when {@code input} is SQL injection, else null. */
  public static String sqli(String input) {
    throw new UnsupportedOperationException("libinjection SQLi detection is being ported");
  }

  /** Whether {@code input} is an XSS attempt by libinjection's HTML5 tokenizer rules. */
  public static boolean xss(String input) {
    throw new UnsupportedOperationException("libinjection XSS detection is being ported");
  }
}
