package dev.citizen.gateway.config;

import java.util.List;

/**
 * One version of a service (stable, canary, blue, green …): its endpoints and its share of the
 * service's traffic.
 *
 * @param weight relative share among the versions (default 0: reached only by the version header)
 * @param endpoints the instances (at least one)
 */
public record VersionConfig(Integer weight, List<EndpointConfig> endpoints) {
  public VersionConfig {
    weight = weight == null ? 0 : weight;
    endpoints = endpoints == null ? List.of() : endpoints;
  }
}
