package dev.citizen.gateway.config;

/**
 * The admin listener: health now, metrics and the admin API later. Loopback by default because it
 * is for operators, not for the public.
 *
 * @param host interface to bind (default {@code 127.0.0.1})
 * @param port TCP port; 0 picks an ephemeral one (default 9901)
 * @param token the bearer token every admin endpoint except {@code /health/*} requires; write it as
 *     {@code ${ADMIN_TOKEN}} to keep it out of the file
 */
public record AdminConfig(String host, Integer port, String token) {
  public static final AdminConfig DEFAULT = new AdminConfig(null, null, null);

  public AdminConfig {
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 9901 : port;
  }
}
