package dev.citizen.gateway.config;

/**
 * The admin listener: health now, metrics and the admin API later. Loopback by default because it
 * is for operators, not for the public.
 *
 * @param host interface to bind (default {@code 127.0.0.1})
 * @param port TCP port; 0 picks an ephemeral one (default 9901)
 */
public record AdminConfig(String host, Integer port) {
  public static final AdminConfig DEFAULT = new AdminConfig(null, null);

  public AdminConfig {
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 9901 : port;
  }
}
