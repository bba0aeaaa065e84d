package dev.citizen.gateway.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One version of a service (a service given with plain endpoints has one, named "default"): its
 * endpoints, their balancer, and its share of the service's traffic, which the admin API and
 * automatic rollback change at run time.
 */
public final class Version {
  private final String name;
  private final boolean primary;
  private final int configuredWeight;
  private final LoadBalancer loadBalancer;
  final AtomicInteger weight;
  /** Measures the error rate of a non-primary version for automatic rollback; null otherwise. */
  final CircuitBreaker rollbackDetector;

  Version(String name, boolean primary, int configuredWeight, AtomicInteger weight, LoadBalancer loadBalancer,
      CircuitBreaker rollbackDetector) {
    this.name = name;
    this.primary = primary;
    this.configuredWeight = configuredWeight;
    this.weight = weight;
    this.loadBalancer = loadBalancer;
    this.rollbackDetector = rollbackDetector;
  }

  public String name() {
    return name;
  }

  public boolean primary() {
    return primary;
  }

  /** The weight in the config file. */
  public int configuredWeight() {
    return configuredWeight;
  }

  /** The weight now in force. */
  public int weight() {
    return weight.get();
  }

  public LoadBalancer loadBalancer() {
    return loadBalancer;
  }

  public Endpoint[] endpoints() {
    return loadBalancer.endpoints();
  }

  /** Whether any endpoint of this version may take a request now. */
  public boolean available(long nowNanos) {
    for (Endpoint e : loadBalancer.endpoints()) {
      if (e.available(nowNanos)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any endpoint passes active health checks. */
  boolean anyHealthy() {
    for (Endpoint e : loadBalancer.endpoints()) {
      if (e.healthy()) {
        return true;
      }
    }
    return false;
  }
}
