package dev.citizen.gateway.config;

import java.time.Duration;
import java.util.Map;

/**
 * OpenTelemetry tracing. Trace context (W3C {@code traceparent}) is always accepted, propagated
 * and logged; this turns on spans (a server span per request, a client span per upstream attempt)
 * and their export over OTLP/HTTP. Spans are only worth making when something receives them, so
 * {@code enabled} requires {@code endpoint}.
 *
 * @param enabled default false
 * @param endpoint the collector's OTLP/HTTP traces URL, e.g. {@code http://127.0.0.1:4318/v1/traces}
 *     (required when enabled)
 * @param samplingRatio share of new traces that are recorded and exported, 0..1; a caller's
 *     sampling decision (the {@code traceparent} flag) is always followed (default 1.0)
 * @param serviceName the {@code service.name} of the gateway's spans (default citizen-gateway)
 * @param timeout how long one export may take before it is given up (default 10s)
 * @param scheduleDelay the longest time an ended span waits before it is exported; a full batch
 *     (512 spans) goes at once (default 5s)
 * @param headers sent with every export, e.g. {@code Authorization} for a collector that wants it;
 *     write secrets as {@code ${VAR}} (default none)
 */
public record TracingConfig(Boolean enabled, String endpoint, Double samplingRatio, String serviceName,
    Duration timeout, Duration scheduleDelay, Map<String, String> headers) {
  public static final TracingConfig DEFAULT = new TracingConfig(null, null, null, null, null, null, null);

  public TracingConfig {
    enabled = enabled != null && enabled;
    samplingRatio = samplingRatio == null ? 1.0 : samplingRatio;
    serviceName = serviceName == null ? "citizen-gateway" : serviceName;
    timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    scheduleDelay = scheduleDelay == null ? Duration.ofSeconds(5) : scheduleDelay;
    headers = headers == null ? Map.of() : headers;
  }
}
