package dev.citizen.gateway.config;

import java.util.List;

/**
 * Gateway-wide edge security: the {@code security} key. Per-route settings live on the routes.
 *
 * @param trustedProxies CIDRs of proxies whose {@code X-Forwarded-For} is believed (default none:
 *     the client address is the socket's peer)
 * @param autoBan banning addresses after repeated failed authentications
 * @param headers security response headers for every response, overridable per route
 */
public record SecurityConfig(List<String> trustedProxies, AutoBanConfig autoBan, SecurityHeadersConfig headers) {
  public static final SecurityConfig DEFAULT = new SecurityConfig(null, null, null);

  public SecurityConfig {
    trustedProxies = trustedProxies == null ? List.of() : trustedProxies;
    autoBan = autoBan == null ? AutoBanConfig.DEFAULT : autoBan;
    headers = headers == null ? SecurityHeadersConfig.DEFAULT : headers;
  }

  public void validate(List<ConfigError> errors, String path) {
    autoBan.validate(errors, path + ".autoBan");
    headers.validate(errors, path + ".headers");
  }
}
