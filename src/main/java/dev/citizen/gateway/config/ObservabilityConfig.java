package dev.citizen.gateway.config;

/**
 * What the gateway tells about the traffic it carries. Read at start; changes apply after a
 * restart.
 *
 * @param metrics Prometheus metrics on the admin port
 * @param accessLog one JSON line per request
 * @param tracing OpenTelemetry spans, exported over OTLP/HTTP
 */
public record ObservabilityConfig(MetricsConfig metrics, AccessLogConfig accessLog, TracingConfig tracing) {
  public static final ObservabilityConfig DEFAULT = new ObservabilityConfig(null, null, null);

  public ObservabilityConfig {
    metrics = metrics == null ? MetricsConfig.DEFAULT : metrics;
    accessLog = accessLog == null ? AccessLogConfig.DEFAULT : accessLog;
    tracing = tracing == null ? TracingConfig.DEFAULT : tracing;
  }
}
