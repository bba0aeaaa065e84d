package dev.citizen.gateway.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The access log: one JSON line per request, to the logger {@code access}, written by a thread of
 * its own so that a slow log output never holds up traffic. PHI-safe by default: no bodies, no
 * query values, no headers; paths and user agents go through the masker (e-mail addresses, phone
 * numbers, SSNs and {@code maskPatterns}). See {@code dev.citizen.gateway.accesslog}.
 *
 * @param enabled default true
 * @param headers request headers to log, by name, case-insensitive (default none). Headers that
 *     carry credentials or sessions ({@link #isSecretHeader}) are never logged; naming one is an error.
 * @param logQuery whether lines have a {@code query} field (default false). When on, every value
 *     is written {@code ***} except those of {@code queryParams}.
 * @param queryParams query parameters whose values are logged in clear (masked like the path), when
 *     {@code logQuery} is on (default none). A name that {@code maskQueryParams} covers is an error.
 * @param maskQueryParams query parameters never logged in clear, in addition to
 *     {@link #MASKED_QUERY_PARAMS}: a parameter is covered when its name, lower-cased and without
 *     {@code -} and {@code _}, contains one of these (default none)
 * @param maskPatterns regular expressions (Java syntax) of further identifiers, such as national id
 *     formats, masked as {@code [id]} wherever the masker runs (default none)
 * @param queueSize lines that may wait for the log output; when it is full, lines are dropped and
 *     counted, and a WARN says how many (default 8192)
 */
public record AccessLogConfig(Boolean enabled, List<String> headers, Boolean logQuery, List<String> queryParams,
    List<String> maskQueryParams, List<String> maskPatterns, Integer queueSize) {
  public static final AccessLogConfig DEFAULT = new AccessLogConfig(null, null, null, null, null, null, null);

  /**
   * Name fragments of query parameters that are never logged in clear: personal data, and the
   * secrets that travel in URLs (OAuth codes, signed-URL signatures, API keys).
   */
  public static final List<String> MASKED_QUERY_PARAMS = List.of("ssn", "socialsecurity", "nationalid", "email",
      "phone", "mobile", "fax", "dob", "birth", "name", "address", "zip", "postcode", "token", "password", "passwd",
      "secret", "apikey", "auth", "session", "code", "signature");

  /** Headers that are never logged, whatever the config says. */
  private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
      "set-cookie", "x-api-key", "api-key", "x-csrf-token", "x-xsrf-token", "x-amz-security-token");
  /** Name fragments that mark further headers as secret (X-Auth-Token, X-Session-Id, X-Client-Secret …). */
  private static final List<String> SECRET_HEADER_PARTS = List.of("auth", "cookie", "token", "secret", "password",
      "session", "apikey", "api-key", "credential", "signature");

  public AccessLogConfig {
    enabled = enabled == null || enabled;
    headers = headers == null ? List.of() : headers;
    logQuery = logQuery != null && logQuery;
    queryParams = queryParams == null ? List.of() : queryParams;
    maskQueryParams = maskQueryParams == null ? List.of() : maskQueryParams;
    maskPatterns = maskPatterns == null ? List.of() : maskPatterns;
    queueSize = queueSize == null ? 8192 : queueSize;
  }

  /** Whether a header carries credentials or a session and so is never logged. */
  public static boolean isSecretHeader(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (SECRET_HEADERS.contains(n)) {
      return true;
    }
    for (String part : SECRET_HEADER_PARTS) {
      if (n.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The entry of {@link #MASKED_QUERY_PARAMS} or {@code maskQueryParams} that covers the query
   * parameter {@code name}, or null when its value may be logged in clear.
   */
  public String maskedBy(String name) {
    String n = normalizeParam(name);
    for (String m : MASKED_QUERY_PARAMS) {
      if (n.contains(m)) {
        return m;
      }
    }
    for (String m : maskQueryParams) {
      if (m != null && !normalizeParam(m).isEmpty() && n.contains(normalizeParam(m))) {
        return m;
      }
    }
    return null;
  }

  /** Lower case without {@code -} and {@code _}: {@code first_name}, {@code First-Name} and {@code firstName} are one. */
  public static String normalizeParam(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '-' && c != '_') {
        out.append(Character.toLowerCase(c));
      }
    }
    return out.toString();
  }
}
