package dev.citizen.gateway.config;

import java.time.Duration;

/**
 * Automatic rollback of every version but the primary: when a version's share of failed calls
 * (5xx answers, connection failures, timeouts) over {@code window} exceeds {@code errorRate}
 * percent, or when none of its endpoints can take traffic (all fail their health checks or are
 * ejected by outlier detection), its weight goes to 0. See docs/resilience.md.
 *
 * @param enabled default true
 * @param errorRate percent; default 20
 * @param window sliding window, whole seconds; default 30s
 * @param minimumCalls calls in the window before the rate counts; default 10
 */
public record RollbackConfig(Boolean enabled, Integer errorRate, Duration window, Integer minimumCalls) {
  public static final RollbackConfig DEFAULT = new RollbackConfig(null, null, null, null);

  public RollbackConfig {
    enabled = enabled == null || enabled;
    errorRate = errorRate == null ? 20 : errorRate;
    window = window == null ? Duration.ofSeconds(30) : window;
    minimumCalls = minimumCalls == null ? 10 : minimumCalls;
  }
}
