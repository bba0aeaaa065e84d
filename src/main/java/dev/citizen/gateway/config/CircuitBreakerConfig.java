package dev.citizen.gateway.config;

import java.time.Duration;

/**
 * The service's circuit breaker (resilience4j, time-based sliding window). With the defaults, a
 * service that fails half of at least 20 calls within 10 s is cut off: for 30 s the gateway
 * answers 503 without calling it, then lets 5 probes through and closes again if they succeed.
 *
 * @param enabled default true
 * @param failureRateThreshold percent of failed calls (or of slow calls) that opens it; default 50
 * @param window the sliding window, whole seconds; default 10s
 * @param minimumCalls calls in the window before a rate is computed; default 20
 * @param slowCallThreshold a call whose response head takes longer is slow; default 2s
 * @param openFor how long it stays open before half-open probes; default 30s
 * @param halfOpenCalls probes let through while half-open; default 5
 */
public record CircuitBreakerConfig(Boolean enabled, Integer failureRateThreshold, Duration window,
    Integer minimumCalls, Duration slowCallThreshold, Duration openFor, Integer halfOpenCalls) {
  public static final CircuitBreakerConfig DEFAULT = new CircuitBreakerConfig(null, null, null, null, null, null,
      null);

  public CircuitBreakerConfig {
    enabled = enabled == null || enabled;
    failureRateThreshold = failureRateThreshold == null ? 50 : failureRateThreshold;
    window = window == null ? Duration.ofSeconds(10) : window;
    minimumCalls = minimumCalls == null ? 20 : minimumCalls;
    slowCallThreshold = slowCallThreshold == null ? Duration.ofSeconds(2) : slowCallThreshold;
    openFor = openFor == null ? Duration.ofSeconds(30) : openFor;
    halfOpenCalls = halfOpenCalls == null ? 5 : halfOpenCalls;
  }
}
