package dev.citizen.gateway.config;

/**
 * One instance of a service.
 *
 * @param url {@code http://host:port} or {@code https://host:port} (no path, query or user info;
 *     the port defaults to 80 and 443)
 * @param weight relative share of traffic (default 1)
 */
public record EndpointConfig(String url, Integer weight) {
  public EndpointConfig {
    weight = weight == null ? 1 : weight;
  }
}
