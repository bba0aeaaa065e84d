package dev.citizen.gateway.config;

import java.time.Duration;

/**
 * Graceful drain on SIGTERM/SIGINT (and {@code Gateway.drain()}): readiness turns 503 and every
 * response says {@code Connection: close}; new connections are still served for {@code delay},
 * so a load balancer polling readiness can take the instance out first; then the listener closes
 * (idle connections with it) and in-flight requests get up to {@code timeout} to finish.
 *
 * @param delay how long new connections are still accepted after the drain starts (default 5s)
 * @param timeout after the listener closed, how long in-flight requests and WebSocket tunnels may
 *     go on before their connections are closed (default 30s)
 */
public record ServerDrainConfig(Duration delay, Duration timeout) {
  public static final ServerDrainConfig DEFAULT = new ServerDrainConfig(null, null);

  public ServerDrainConfig {
    delay = delay == null ? Duration.ofSeconds(5) : delay;
    timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
  }
}
