package dev.citizen.gateway.config;

import java.util.List;

/**
 * An upstream service: where its instances are and how long to wait for them.
 *
 * @param endpoints the instances (at least one)
 * @param timeouts connect and response timeouts
 */
public record ServiceConfig(List<EndpointConfig> endpoints, ServiceTimeoutsConfig timeouts) {
  public ServiceConfig {
    endpoints = endpoints == null ? List.of() : endpoints;
    timeouts = timeouts == null ? ServiceTimeoutsConfig.DEFAULT : timeouts;
  }
}
