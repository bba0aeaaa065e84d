package dev.citizen.gateway.config;

/**
 * OpenTelemetry tracing. Trace context (W3C {@code traceparent}) is always accepted, propagated
 * and logged; this turns on spans and their export.
 *
 * @param enabled default false
 */
public record TracingConfig(Boolean enabled) {
  public static final TracingConfig DEFAULT = new TracingConfig(null);

  public TracingConfig {
    enabled = enabled != null && enabled;
  }
}
