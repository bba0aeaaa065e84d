package dev.citizen.gateway.config;

/**
 * The public listener.
 *
 * @param host interface to bind (default {@code 0.0.0.0})
 * @param port TCP port; 0 picks an ephemeral one, which is logged (default 8080)
 * @param limits request size limits
 * @param timeouts client-side timeouts
 * @param reusePort bind with {@code SO_REUSEPORT}, so a second gateway process can bind the same
 *     port for a zero-downtime replacement; needs the native (epoll) transport (default true)
 * @param drain graceful drain on SIGTERM/SIGINT
 * @param tls HTTPS on this listener, and an optional plain-HTTP redirect listener (default: off,
 *     plain HTTP/1.1)
 */
public record ServerConfig(String host, Integer port, LimitsConfig limits, ServerTimeoutsConfig timeouts,
    Boolean reusePort, ServerDrainConfig drain, ServerTlsConfig tls) {
  public static final ServerConfig DEFAULT = new ServerConfig(null, null, null, null, null, null, null);

  public ServerConfig {
    host = host == null ? "0.0.0.0" : host;
    port = port == null ? 8080 : port;
    limits = limits == null ? LimitsConfig.DEFAULT : limits;
    timeouts = timeouts == null ? ServerTimeoutsConfig.DEFAULT : timeouts;
    reusePort = reusePort == null ? Boolean.TRUE : reusePort;
    drain = drain == null ? ServerDrainConfig.DEFAULT : drain;
  }

  /** A plain-HTTP listener (tests). */
  public ServerConfig(String host, Integer port, LimitsConfig limits, ServerTimeoutsConfig timeouts,
      Boolean reusePort, ServerDrainConfig drain) {
    this(host, port, limits, timeouts, reusePort, drain, null);
  }
}
