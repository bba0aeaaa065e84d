package dev.citizen.gateway.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One version of a service (a service given with plain endpoints has one, named "default"): its
 * endpoints, their balancer, and its share of the service's traffic, which the admin API and
 * automatic rollback change at run time.
 *
 * <p>The weight is an {@link AtomicInteger} shared with the same version of the next Service that
 * a reload builds, as long as the file's weights stay the same (see {@link Service#build}), so an
 * admin change or a rollback made while a reload compiles is not lost.
 */
public final class Version {
  private final String name;
  private final boolean primary;
  private final int configuredWeight;
  private final LoadBalancer loadBalancer;
  /** The endpoints the balancer can pick (weight above 0): the only ones that make it available. */
  private final Endpoint[] servable;
  final AtomicInteger weight;
  /** Measures the error rate of a non-primary version for automatic rollback; null otherwise. */
  final CircuitBreaker rollbackDetector;

  Version(String name, boolean primary, int configuredWeight, AtomicInteger weight, LoadBalancer loadBalancer,
      int[] endpointWeights, CircuitBreaker rollbackDetector) {
    this.name = name;
    this.primary = primary;
    this.configuredWeight = configuredWeight;
    this.weight = weight;
    this.loadBalancer = loadBalancer;
    Endpoint[] all = loadBalancer.endpoints();
    int n = 0;
    Endpoint[] out = new Endpoint[all.length];
    for (int i = 0; i < all.length; i++) {
      if (endpointWeights[i] > 0) {
        out[n++] = all[i];
      }
    }
    this.servable = java.util.Arrays.copyOf(out, n);
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

  /** Whether the balancer can find an endpoint for a request now; a version that cannot is skipped. */
  public boolean available(long nowNanos) {
    for (Endpoint e : servable) {
      if (e.available(nowNanos)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any endpoint passes active health checks. */
  boolean anyHealthy() {
    for (Endpoint e : servable) {
      if (e.healthy()) {
        return true;
      }
    }
    return false;
  }

  /** Whether automatic rollback watches this version (non-primary, rollback enabled). */
  public boolean watched() {
    return rollbackDetector != null;
  }
}
