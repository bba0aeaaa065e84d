package dev.citizen.gateway.config;

import java.time.Duration;

/**
 * A route's timeouts; each unset one falls back to the service's.
 *
 * @param connect TCP connect to an endpoint, per attempt
 * @param response from the end of the request until the response head, per attempt
 * @param total overall deadline from the request's arrival to the response head, over all
 *     attempts and backoffs (default none)
 */
public record RouteTimeoutsConfig(Duration connect, Duration response, Duration total) {
  public static final RouteTimeoutsConfig DEFAULT = new RouteTimeoutsConfig(null, null, null);
}
