package dev.citizen.gateway.config;

import java.time.Duration;

/**
 * Passive health checking: an endpoint that fails {@code consecutiveFailures} requests in a row
 * (5xx answers, connection failures, resets, timeouts) is ejected for {@code baseEjectionTime},
 * doubled for each ejection that follows soon after the last, up to {@code maxEjectionTime}.
 *
 * @param enabled default true
 * @param consecutiveFailures default 5
 * @param baseEjectionTime default 10s
 * @param maxEjectionTime default 300s
 * @param maxEjectionPercent never eject more than this share of the service's endpoints,
 *     rounded down (so a single endpoint is never ejected); default 50
 */
public record OutlierDetectionConfig(Boolean enabled, Integer consecutiveFailures, Duration baseEjectionTime,
    Duration maxEjectionTime, Integer maxEjectionPercent) {
  public static final OutlierDetectionConfig DEFAULT = new OutlierDetectionConfig(null, null, null, null, null);

  public OutlierDetectionConfig {
    enabled = enabled == null || enabled;
    consecutiveFailures = consecutiveFailures == null ? 5 : consecutiveFailures;
    baseEjectionTime = baseEjectionTime == null ? Duration.ofSeconds(10) : baseEjectionTime;
    maxEjectionTime = maxEjectionTime == null ? Duration.ofSeconds(300) : maxEjectionTime;
    maxEjectionPercent = maxEjectionPercent == null ? 50 : maxEjectionPercent;
  }
}
