package dev.citizen.gateway.config;

import java.util.List;
import java.util.Set;

/**
 * Security response headers: gateway-wide under {@code security.headers}, overridden per route by
 * the route's {@code headers} key. A key a route leaves out keeps the gateway's value; a route's
 * value replaces it; an empty string ({@code ""}) means the gateway neither sets the header nor
 * overrides the service's own on that scope. Every key left out everywhere has the default below.
 *
 * <p>The gateway's value wins over the service's, except for the Content-Security-Policy: a
 * service's own policy is kept, since it knows its pages; the gateway's is sent only when the
 * service sent none.
 *
 * @param contentTypeOptions {@code X-Content-Type-Options} (default {@code nosniff})
 * @param frameOptions {@code X-Frame-Options}: {@code DENY} or {@code SAMEORIGIN} (default DENY)
 * @param contentSecurityPolicy {@code Content-Security-Policy} when the service sent none
 *     (default {@code frame-ancestors 'none'}: the CSP form of DENY)
 * @param referrerPolicy {@code Referrer-Policy} (default {@code strict-origin-when-cross-origin}:
 *     other sites see the origin only, never a path that may name a patient)
 * @param hsts {@code Strict-Transport-Security} on TLS requests (default on: two years,
 *     includeSubDomains)
 * @param removeHeaders response headers of the services to drop besides the built-in list of
 *     headers that name software and versions: Server, X-Powered-By, X-AspNet-Version,
 *     X-AspNetMvc-Version, X-Runtime, X-Version, X-Generator, Via (default none)
 */
public record SecurityHeadersConfig(String contentTypeOptions, String frameOptions, String contentSecurityPolicy,
    String referrerPolicy, HstsConfig hsts, List<String> removeHeaders) {
  /** All null: every value comes from the defaults (or, for a route, from the gateway). */
  public static final SecurityHeadersConfig DEFAULT = new SecurityHeadersConfig(null, null, null, null, null, null);

  private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
  private static final Set<String> REFERRER_POLICIES = Set.of("no-referrer", "no-referrer-when-downgrade",
      "origin", "origin-when-cross-origin", "same-origin", "strict-origin", "strict-origin-when-cross-origin",
      "unsafe-url");

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {
    if (contentTypeOptions != null && !contentTypeOptions.isEmpty() && !contentTypeOptions.equals("nosniff")) {
      errors.add(new ConfigError(path + ".contentTypeOptions", "\"" + contentTypeOptions
          + "\" (expected: nosniff, or \"\" for none)"));
    }
    if (frameOptions != null && !frameOptions.isEmpty() && !frameOptions.equals("DENY")
        && !frameOptions.equals("SAMEORIGIN")) {
      errors.add(new ConfigError(path + ".frameOptions", "\"" + frameOptions
          + "\" (expected: DENY, SAMEORIGIN, or \"\" for none)"));
    }
    if (contentSecurityPolicy != null && !contentSecurityPolicy.matches("[\\t\\x20-\\x7e]*")) {
      errors.add(new ConfigError(path + ".contentSecurityPolicy", "(expected: a value of printable ASCII)"));
    }
    if (referrerPolicy != null && !referrerPolicy.isEmpty()) {
      for (String p : referrerPolicy.split(",", -1)) {
        if (!REFERRER_POLICIES.contains(p.trim())) {
          errors.add(new ConfigError(path + ".referrerPolicy", "\"" + referrerPolicy
              + "\" (expected: a policy such as strict-origin-when-cross-origin or no-referrer, or \"\" for none)"));
          break;
        }
      }
    }
    if (hsts != null) {
      hsts.validate(errors, path + ".hsts");
    }
    if (removeHeaders != null) {
      for (int i = 0; i < removeHeaders.size(); i++) {
        String h = removeHeaders.get(i);
        if (h != null && !h.matches(TOKEN)) {
          errors.add(new ConfigError(path + ".removeHeaders[" + i + "]", "\"" + h + "\" (expected: a header name)"));
        }
      }
    }
  }
}
