package dev.citizen.gateway.upstream;

import dev.citizen.gateway.config.ServiceConfig;
import java.util.List;

/**
 * An upstream service at run time: its endpoints, how to pick one and its timeouts (in millis,
 * converted once so the hot path does no Duration arithmetic).
 */
public final class Service {
  private final String name;
  private final List<Endpoint> endpoints;
  private final LoadBalancer loadBalancer;
  private final long connectTimeoutMillis;
  private final long responseTimeoutMillis;

  public Service(String name, ServiceConfig config) {
    this.name = name;
    this.endpoints = config.endpoints().stream().map(e -> Endpoint.of(e.url(), e.weight())).toList();
    this.loadBalancer = new RoundRobinLoadBalancer(endpoints);
    this.connectTimeoutMillis = config.timeouts().connect().toMillis();
    this.responseTimeoutMillis = config.timeouts().response().toMillis();
  }

  public String name() {
    return name;
  }

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  public LoadBalancer loadBalancer() {
    return loadBalancer;
  }

  public long connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  public long responseTimeoutMillis() {
    return responseTimeoutMillis;
  }
}
