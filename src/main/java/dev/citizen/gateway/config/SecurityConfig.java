package dev.citizen.gateway.config;

import java.util.List;

/**
 * Gateway-wide edge security: the {@code security} key. Per-route settings live on the routes.
 *
 * @param trustedProxies addresses or CIDRs (IPv4, IPv6) of the proxies in front of the gateway whose
 *     {@code X-Forwarded-For} is believed (default none: the client is the socket's peer, and a
 *     client's own {@code X-Forwarded-For} is replaced by its address before it goes upstream)
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
    Cidrs.validate(errors, path + ".trustedProxies", trustedProxies);
    autoBan.validate(errors, path + ".autoBan");
    headers.validate(errors, path + ".headers");
  }
}
