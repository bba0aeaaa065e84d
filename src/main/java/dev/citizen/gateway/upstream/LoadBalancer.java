package dev.citizen.gateway.upstream;

/** Picks the endpoint of a service for one request. Used by the proxy step, not a filter. */
public interface LoadBalancer {

  /** The chosen endpoint, or null when none can take traffic. */
  Endpoint pick();
}
