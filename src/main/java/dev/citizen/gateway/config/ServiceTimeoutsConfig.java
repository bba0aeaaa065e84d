package dev.citizen.gateway.config;

import java.time.Duration;

/**
 * Upstream timeouts.
 *
 * @param connect TCP connect to an endpoint; over it the answer is 504 (default 1s)
 * @param response from sending the request until the response head arrives; over it 504
 *     (default 30s)
 */
public record ServiceTimeoutsConfig(Duration connect, Duration response) {
  public static final ServiceTimeoutsConfig DEFAULT = new ServiceTimeoutsConfig(null, null);

  public ServiceTimeoutsConfig {
    connect = connect == null ? Duration.ofSeconds(1) : connect;
    response = response == null ? Duration.ofSeconds(30) : response;
  }
}
