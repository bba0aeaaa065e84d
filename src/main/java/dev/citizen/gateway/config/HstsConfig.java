package dev.citizen.gateway.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code Strict-Transport-Security}, sent only on responses to requests that came over TLS (a
 * browser ignores it over plain HTTP, RFC 6797 §8.1). A route's {@code hsts} replaces the
 * gateway's whole, with this record's defaults for keys it leaves out.
 *
 * @param enabled send it at all (default true)
 * @param maxAge how long browsers keep to HTTPS, whole seconds (default 730d, two years)
 * @param includeSubDomains the policy covers every subdomain too (default true)
 * @param preload ask to be in the browsers' preload lists; hard to undo, so off unless the whole
 *     domain is ready for it (default false)
 */
public record HstsConfig(Boolean enabled, Duration maxAge, Boolean includeSubDomains, Boolean preload) {
  public static final HstsConfig DEFAULT = new HstsConfig(null, null, null, null);

  public HstsConfig {
    enabled = enabled == null || enabled;
    maxAge = maxAge == null ? Duration.ofDays(730) : maxAge;
    includeSubDomains = includeSubDomains == null || includeSubDomains;
    preload = preload != null && preload;
  }

  /** The header value, e.g. {@code max-age=63072000; includeSubDomains}; null when disabled. */
  public String value() {
    if (!enabled) {
      return null;
    }
    return "max-age=" + maxAge.toSeconds() + (includeSubDomains ? "; includeSubDomains" : "")
        + (preload ? "; preload" : "");
  }

  public void validate(List<ConfigError> errors, String path) {
    if (maxAge.isNegative()) {
      errors.add(new ConfigError(path + ".maxAge", "negative (expected: >= 0)"));
    }
    if (preload && (!includeSubDomains || maxAge.toSeconds() < 31_536_000)) {
      // The preload lists take a domain only with includeSubDomains and at least a year.
      errors.add(new ConfigError(path + ".preload", "true (expected: with includeSubDomains and maxAge >= 365d, "
          + "as the browsers' preload lists require)"));
    }
  }
}
