package dev.citizen.gateway.config;

/**
 * The admin listener: health now, metrics and the admin API later. Loopback by default because it
 * is for operators, not for the public.
 *
 * @param host interface to bind (default {@code 127.0.0.1})
 * @param port TCP port; 0 picks an ephemeral one (default 9901)
 * @param token the bearer token every admin endpoint except {@code /health/*} requires, at least 16
 *     printable ASCII characters; write it as {@code ${ADMIN_TOKEN}} to keep it out of the file. Unset
 *     or empty: the environment variable {@code CITIZEN_ADMIN_TOKEN}; with neither, the admin API is
 *     locked (401). Applies on reload.
 */
public record AdminConfig(String host, Integer port, String token) {
  public static final AdminConfig DEFAULT = new AdminConfig(null, null, null);

  public AdminConfig {
    host = host == null ? "127.0.0.1" : host;
    port = port == null ? 9901 : port;
    // Empty is unset, so that token: ${ADMIN_TOKEN:-} falls back to CITIZEN_ADMIN_TOKEN.
    token = token == null || token.isEmpty() ? null : token;
  }

  /** Without the token, which must not reach a log line. */
  @Override
  public String toString() {
    return "AdminConfig[host=" + host + ", port=" + port + ", token=" + (token == null ? "unset" : "***") + "]";
  }

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(java.util.List<ConfigError> errors, String path) {
    String problem = token == null ? null : dev.citizen.gateway.admin.AdminToken.problem(token);
    if (problem != null) {
      errors.add(new ConfigError(path + ".token", problem));
    }
  }
}
