package dev.citizen.gateway.upstream;

import dev.citizen.gateway.config.EndpointConfig;
import dev.citizen.gateway.config.LoadBalancerConfig;
import dev.citizen.gateway.config.ServiceConfig;
import dev.citizen.gateway.config.VersionConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream service at run time: its versions and endpoints, how to pick one, and what protects
 * it (circuit breaker, outlier detection, retry budget). Timeouts are kept in millis so the hot
 * path does no Duration arithmetic.
 *
 * <p>A config reload builds a new Service from the old one ({@link #build}): endpoints with the
 * same URL, and breakers and weights whose settings did not change, carry over with their state.
 */
public final class Service {
  private static final Logger LOG = LoggerFactory.getLogger(Service.class);

  private final String name;
  private final ServiceConfig config;
  private final Version[] versions;
  private final Map<String, Version> versionsByName;
  private final Endpoint[] endpoints;
  private final CircuitBreaker circuitBreaker;
  private final OutlierDetector outliers;
  private final RetryBudget retryBudget;
  private final long connectTimeoutMillis;
  private final long responseTimeoutMillis;

  private Service(String name, ServiceConfig config, Version[] versions, Endpoint[] endpoints,
      CircuitBreaker circuitBreaker, RetryBudget retryBudget) {
    this.name = name;
    this.config = config;
    this.versions = versions;
    this.versionsByName = new LinkedHashMap<>();
    for (Version v : versions) {
      versionsByName.put(v.name(), v);
    }
    this.endpoints = endpoints;
    this.circuitBreaker = circuitBreaker;
    this.outliers = new OutlierDetector(name, config.outlierDetection(), endpoints);
    this.retryBudget = retryBudget;
    this.connectTimeoutMillis = config.timeouts().connect().toMillis();
    this.responseTimeoutMillis = config.timeouts().response().toMillis();
  }

  /** Compiles a validated service config, carrying over the state of {@code previous} (may be null). */
  public static Service build(String name, ServiceConfig config, Service previous) {
    Map<String, Endpoint> known = new HashMap<>();
    if (previous != null) {
      for (Endpoint e : previous.endpoints) {
        known.put(e.url(), e);
      }
    }
    List<Endpoint> all = new ArrayList<>();
    List<Version> versions = new ArrayList<>();
    String primary = config.effectivePrimary();
    for (Map.Entry<String, VersionConfig> entry : config.effectiveVersions().entrySet()) {
      String vname = entry.getKey();
      VersionConfig vc = entry.getValue();
      Endpoint[] eps = new Endpoint[vc.endpoints().size()];
      int[] weights = new int[eps.length];
      for (int i = 0; i < eps.length; i++) {
        EndpointConfig ec = vc.endpoints().get(i);
        eps[i] = known.computeIfAbsent(ec.url(), Endpoint::of);
        weights[i] = ec.weight();
        all.add(eps[i]);
      }
      Version old = previous == null ? null : previous.versionsByName.get(vname);
      boolean sameVersion = old != null && old.configuredWeight() == vc.weight()
          && previous.config.rollback().equals(config.rollback());
      AtomicInteger weight = sameVersion ? old.weight : new AtomicInteger(vc.weight());
      CircuitBreaker detector = null;
      if (!vname.equals(primary) && config.rollback().enabled()) {
        detector = sameVersion && old.rollbackDetector != null ? old.rollbackDetector
            : Breakers.rollbackDetector(name + "/" + vname, config.rollback());
      }
      Version v = new Version(vname, vname.equals(primary), vc.weight(), weight,
          balancer(config.loadBalancer(), eps, weights), detector);
      versions.add(v);
    }
    CircuitBreaker cb = null;
    if (config.circuitBreaker().enabled()) {
      cb = previous != null && previous.circuitBreaker != null
          && previous.config.circuitBreaker().equals(config.circuitBreaker())
          ? previous.circuitBreaker : Breakers.service(name, config.circuitBreaker());
    }
    RetryBudget budget = previous != null && previous.config.retryBudget().equals(config.retryBudget())
        ? previous.retryBudget : new RetryBudget(config.retryBudget());
    Service s = new Service(name, config, versions.toArray(new Version[0]), all.toArray(new Endpoint[0]), cb, budget);
    for (Version v : s.versions) {
      if (v.rollbackDetector != null) {
        v.rollbackDetector.getEventPublisher().onStateTransition(e -> {
          if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
            s.rollBack(v, "error rate " + v.rollbackDetector.getMetrics().getFailureRate() + "% over "
                + config.rollback().window().toSeconds() + "s");
          }
        });
      }
    }
    return s;
  }

  private static LoadBalancer balancer(LoadBalancerConfig lb, Endpoint[] eps, int[] weights) {
    return switch (lb.policy()) {
      case ROUND_ROBIN -> new RoundRobinLoadBalancer(eps, weights);
      case LEAST_REQUEST -> new LeastRequestLoadBalancer(eps, weights);
      case CONSISTENT_HASH -> new ConsistentHashLoadBalancer(eps, weights, lb.hashHeader(), lb.hashCookie());
    };
  }

  /**
   * The version a request goes to: the one its version header names, if any; else one drawn by
   * weight among those with an available endpoint (any weighted one when none has).
   */
  public Version version(HttpServerRequest request, long nowNanos) {
    if (versions.length == 1) {
      return versions[0];
    }
    String pinned = config.versionHeader() == null ? null : request.getHeader(config.versionHeader());
    if (pinned != null) {
      Version v = versionsByName.get(pinned);
      if (v != null) {
        return v;
      }
    }
    Version v = draw(nowNanos, true);
    return v != null ? v : draw(nowNanos, false);
  }

  private Version draw(long nowNanos, boolean onlyAvailable) {
    int total = 0;
    for (Version v : versions) {
      if (!onlyAvailable || v.available(nowNanos)) {
        total += v.weight();
      }
    }
    if (total <= 0) {
      return null;
    }
    int r = ThreadLocalRandom.current().nextInt(total);
    for (Version v : versions) {
      if (!onlyAvailable || v.available(nowNanos)) {
        r -= v.weight();
        if (r < 0) {
          return v;
        }
      }
    }
    return null;
  }

  /**
   * Outcome of one attempt that the circuit breaker let through, for the breaker, outlier
   * detection and the version's rollback window. {@code failed}: a 5xx answer or a transport
   * failure; the duration is up to the response head, so slow calls count as such.
   */
  public void record(Version version, Endpoint endpoint, boolean failed, long durationNanos) {
    long now = System.nanoTime();
    if (circuitBreaker != null) {
      if (failed) {
        circuitBreaker.onError(durationNanos, TimeUnit.NANOSECONDS, Breakers.FAILED);
      } else {
        circuitBreaker.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
      }
    }
    if (failed) {
      outliers.failure(endpoint, now);
    } else {
      outliers.success(endpoint);
    }
    CircuitBreaker detector = version.rollbackDetector;
    if (detector != null && version.weight() > 0) {
      if (failed) {
        detector.onError(durationNanos, TimeUnit.NANOSECONDS, Breakers.FAILED);
      } else {
        detector.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Called after active health checks changed an endpoint: a version with none healthy rolls back. */
  public void healthChanged() {
    for (Version v : versions) {
      if (!v.primary() && v.rollbackDetector != null && v.weight() > 0 && !v.anyHealthy()) {
        rollBack(v, "all its endpoints fail health checks");
      }
    }
  }

  private void rollBack(Version v, String why) {
    int before = v.weight.getAndSet(0);
    if (before > 0) {
      LOG.warn("service {}: version {} rolled back automatically ({}); weight {} -> 0", name, v.name(), why, before);
    }
  }

  /** Admin API: sets the weights of the named versions (others keep theirs). */
  public void setWeights(Map<String, Integer> weights) {
    for (String v : weights.keySet()) {
      if (!versionsByName.containsKey(v)) {
        throw new IllegalArgumentException("no version \"" + v + "\" (versions: " + versionsByName.keySet() + ")");
      }
      int w = weights.get(v);
      if (w < 0 || w > 1000) {
        throw new IllegalArgumentException("weight of " + v + ": " + w + " (expected: 0..1000)");
      }
    }
    int total = 0;
    for (Version v : versions) {
      total += weights.getOrDefault(v.name(), v.weight());
    }
    if (total == 0) {
      throw new IllegalArgumentException("every weight would be 0 (expected: at least one version with a weight)");
    }
    for (Map.Entry<String, Integer> e : weights.entrySet()) {
      Version v = versionsByName.get(e.getKey());
      int before = v.weight.getAndSet(e.getValue());
      if (e.getValue() > 0 && v.rollbackDetector != null) {
        v.rollbackDetector.reset(); // a fresh window for the version given traffic again
      }
      LOG.info("service {}: version {} weight {} -> {} (admin)", name, v.name(), before, e.getValue());
    }
  }

  /** Admin API: the named version gets all traffic. */
  public void promote(String version) {
    if (!versionsByName.containsKey(version)) {
      throw new IllegalArgumentException("no version \"" + version + "\" (versions: " + versionsByName.keySet() + ")");
    }
    Map<String, Integer> w = new LinkedHashMap<>();
    for (Version v : versions) {
      w.put(v.name(), v.name().equals(version) ? 100 : 0);
    }
    setWeights(w);
  }

  /** Admin API: every version but the primary goes to weight 0. */
  public void rollBackAll() {
    Version primary = primaryVersion();
    Map<String, Integer> w = new LinkedHashMap<>();
    for (Version v : versions) {
      w.put(v.name(), v == primary ? (v.weight() > 0 ? v.weight() : Math.max(1, v.configuredWeight())) : 0);
    }
    setWeights(w);
  }

  public Version primaryVersion() {
    for (Version v : versions) {
      if (v.primary()) {
        return v;
      }
    }
    return versions[0];
  }

  /** Whether some endpoint of a version with a weight can take a request now. */
  public boolean available(long nowNanos) {
    for (Version v : versions) {
      if (v.weight() > 0 && v.available(nowNanos)) {
        return true;
      }
    }
    return false;
  }

  public String name() {
    return name;
  }

  public ServiceConfig config() {
    return config;
  }

  public Version[] versions() {
    return versions;
  }

  /** Every endpoint of every version. */
  public Endpoint[] endpoints() {
    return endpoints;
  }

  /** The circuit breaker, or null when it is turned off. */
  public CircuitBreaker circuitBreaker() {
    return circuitBreaker;
  }

  public RetryBudget retryBudget() {
    return retryBudget;
  }

  public long connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  public long responseTimeoutMillis() {
    return responseTimeoutMillis;
  }
}
