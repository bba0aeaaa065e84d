package dev.citizen.gateway.config;

import java.time.Duration;

/**
 * Active health checks: the gateway asks every endpoint of the service for {@code path} each
 * {@code interval}. An endpoint is taken out after {@code unhealthyThreshold} failures in a row
 * (so within {@code interval × unhealthyThreshold}) and put back after {@code healthyThreshold}
 * successes in a row.
 *
 * @param path request path (default /health)
 * @param interval time between checks of one endpoint (default 5s)
 * @param timeout how long one check may take (default 1s)
 * @param healthyThreshold successes in a row that make an endpoint healthy again (default 2)
 * @param unhealthyThreshold failures in a row that make it unhealthy (default 3)
 * @param expectStatus the statuses that count as healthy: {@code 200} or {@code 200-399}
 *     (default 200-399)
 */
public record HealthCheckConfig(String path, Duration interval, Duration timeout, Integer healthyThreshold,
    Integer unhealthyThreshold, String expectStatus) {
  public HealthCheckConfig {
    path = path == null ? "/health" : path;
    interval = interval == null ? Duration.ofSeconds(5) : interval;
    timeout = timeout == null ? Duration.ofSeconds(1) : timeout;
    healthyThreshold = healthyThreshold == null ? 2 : healthyThreshold;
    unhealthyThreshold = unhealthyThreshold == null ? 3 : unhealthyThreshold;
    expectStatus = expectStatus == null ? "200-399" : expectStatus.trim();
  }

  /** Lowest healthy status, from {@link #expectStatus}; -1 when it is malformed. */
  public int expectLow() {
    return parseRange()[0];
  }

  /** Highest healthy status, from {@link #expectStatus}; -1 when it is malformed. */
  public int expectHigh() {
    return parseRange()[1];
  }

  private int[] parseRange() {
    try {
      int dash = expectStatus.indexOf('-');
      if (dash < 0) {
        int s = Integer.parseInt(expectStatus);
        return new int[] {s, s};
      }
      return new int[] {Integer.parseInt(expectStatus.substring(0, dash).trim()),
          Integer.parseInt(expectStatus.substring(dash + 1).trim())};
    } catch (NumberFormatException e) {
      return new int[] {-1, -1};
    }
  }
}
