package dev.citizen.gateway.config;

import java.util.List;
import java.util.Map;

/**
 * An upstream service: where its instances are, how traffic is spread over them and how the
 * gateway protects itself and the service when they fail. See docs/resilience.md.
 *
 * @param endpoints the instances; or, instead, {@code versions}
 * @param versions named versions (stable, canary …) with weights, for canary and blue-green
 * @param primary the version a rollback falls back to (default: the first in {@code versions})
 * @param versionHeader a request header that pins a request to the version it names
 * @param rollback automatic rollback of non-primary versions
 * @param loadBalancer how an endpoint is picked
 * @param timeouts connect and response timeouts
 * @param healthCheck active health checks (off unless set)
 * @param outlierDetection passive health checks (on by default)
 * @param circuitBreaker the service's circuit breaker (on by default)
 * @param retryBudget how much retries may add to the service's traffic
 * @param tls trust, client certificate and server name for {@code https://} endpoints (default:
 *     the JDK's trust store, hostname verification, no client certificate)
 */
public record ServiceConfig(List<EndpointConfig> endpoints, Map<String, VersionConfig> versions, String primary,
    String versionHeader, RollbackConfig rollback, LoadBalancerConfig loadBalancer,
    ServiceTimeoutsConfig timeouts, HealthCheckConfig healthCheck, OutlierDetectionConfig outlierDetection,
    CircuitBreakerConfig circuitBreaker, RetryBudgetConfig retryBudget, ServiceTlsConfig tls) {

  /** The version name a service given with plain {@code endpoints} has. */
  public static final String DEFAULT_VERSION = "default";

  public ServiceConfig {
    endpoints = endpoints == null ? List.of() : endpoints;
    versions = versions == null ? Map.of() : versions;
    rollback = rollback == null ? RollbackConfig.DEFAULT : rollback;
    loadBalancer = loadBalancer == null ? LoadBalancerConfig.DEFAULT : loadBalancer;
    timeouts = timeouts == null ? ServiceTimeoutsConfig.DEFAULT : timeouts;
    outlierDetection = outlierDetection == null ? OutlierDetectionConfig.DEFAULT : outlierDetection;
    circuitBreaker = circuitBreaker == null ? CircuitBreakerConfig.DEFAULT : circuitBreaker;
    retryBudget = retryBudget == null ? RetryBudgetConfig.DEFAULT : retryBudget;
  }

  /** A service with endpoints and defaults for everything else (tests, demo). */
  public static ServiceConfig of(List<EndpointConfig> endpoints, ServiceTimeoutsConfig timeouts) {
    return new ServiceConfig(endpoints, null, null, null, null, null, timeouts, null, null, null, null, null);
  }

  /**
   * The versions to serve: {@code versions} as written, or one version named
   * {@value #DEFAULT_VERSION} holding {@code endpoints} with weight 100.
   */
  public Map<String, VersionConfig> effectiveVersions() {
    if (!versions.isEmpty()) {
      return versions;
    }
    return Map.of(DEFAULT_VERSION, new VersionConfig(100, endpoints));
  }

  /** The primary version's name. */
  public String effectivePrimary() {
    if (versions.isEmpty()) {
      return DEFAULT_VERSION;
    }
    return primary != null ? primary : versions.keySet().iterator().next();
  }
}
