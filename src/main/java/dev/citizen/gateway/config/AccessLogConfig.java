package dev.citizen.gateway.config;

/**
 * The access log: one JSON line per request.
 *
 * @param enabled default true
 */
public record AccessLogConfig(Boolean enabled) {
  public static final AccessLogConfig DEFAULT = new AccessLogConfig(null);

  public AccessLogConfig {
    enabled = enabled == null || enabled;
  }
}
