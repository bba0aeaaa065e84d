package dev.citizen.gateway.config;

/**
 * Prometheus metrics at {@code GET /metrics} on the admin port.
 *
 * @param enabled default true
 */
public record MetricsConfig(Boolean enabled) {
  public static final MetricsConfig DEFAULT = new MetricsConfig(null);

  public MetricsConfig {
    enabled = enabled == null || enabled;
  }
}
