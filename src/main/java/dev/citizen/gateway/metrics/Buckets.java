package dev.citizen.gateway.metrics;

import java.time.Duration;

/**
 * The latency histogram's bucket bounds. Explicit bounds, chosen so that the service-level
 * objectives (P95 under 300 ms, P99 under 500 ms) fall exactly on a bucket edge and the alert
 * queries need no interpolation there; 13 buckets per series instead of the ~70 of Micrometer's
 * percentile histogram, which would multiply the series count by five for no better answer.
 */
final class Buckets {
  static final Duration[] LATENCY = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(500),
      Duration.ofMillis(750), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10)};

  private Buckets() {}
}
