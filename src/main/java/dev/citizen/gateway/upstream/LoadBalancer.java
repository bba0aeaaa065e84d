package dev.citizen.gateway.upstream;

import io.vertx.core.http.HttpServerRequest;

/**
 * Picks the endpoint of a service version for one request, among those that are
 * {@linkplain Endpoint#available available}. Used by the proxy step, not a filter.
 */
public interface LoadBalancer {

  /**
   * The chosen endpoint, or null when none can take traffic. {@code avoid} (may be null) is the
   * endpoint a retry comes from: another is preferred, but it is returned when it is the only one.
   */
  Endpoint pick(HttpServerRequest request, Endpoint avoid, long nowNanos);

  /** The endpoints this balancer chooses from. */
  Endpoint[] endpoints();
}
