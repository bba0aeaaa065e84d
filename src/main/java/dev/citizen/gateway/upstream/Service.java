package dev.citizen.gateway.upstream;

import dev.citizen.gateway.config.EndpointConfig;
import dev.citizen.gateway.config.LoadBalancerConfig;
import dev.citizen.gateway.config.ServiceConfig;
import dev.citizen.gateway.config.VersionConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import dev.citizen.gateway.tls.TlsFileException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
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
  private final VersionWeights weights;
  private final long connectTimeoutMillis;
  private final long responseTimeoutMillis;
  private final UpstreamTls tls;

  private Service(String name, ServiceConfig config, Version[] versions, Endpoint[] endpoints,
      CircuitBreaker circuitBreaker, RetryBudget retryBudget, UpstreamTls tls) {
    this.name = name;
    this.tls = tls;
    this.config = config;
    this.versions = versions;
    this.versionsByName = new LinkedHashMap<>();
    for (Version v : versions) {
      versionsByName.put(v.name(), v);
    }
    this.endpoints = endpoints;
    this.circuitBreaker = circuitBreaker;
    this.outliers = new OutlierDetector(name, config.outlierDetection(), endpoints, this::healthChanged);
    this.retryBudget = retryBudget;
    this.weights = new VersionWeights(name, versions, versionsByName, primaryVersion());
    this.connectTimeoutMillis = config.timeouts().connect().toMillis();
    this.responseTimeoutMillis = config.timeouts().response().toMillis();
  }

  /**
   * Compiles a validated service config, carrying over the state of {@code previous} (may be null).
   *
   * <p>Weights in force (changed by the admin API or an automatic rollback) carry over while the
   * file's weights of this service stay exactly the same (same versions, same {@code weight}s):
   * the file then says nothing new about the split. A reload that changes any of them is the
   * operator's new intent, so every version starts again from the file's weights, with a fresh
   * rollback window. Taken per service rather than per version because weights only mean
   * something relative to each other.
   *
   * @throws TlsFileException when a file of {@code tls} cannot be used (the validator checked them,
   *     but they may have changed since)
   */
  public static Service build(String name, ServiceConfig config, Service previous) throws TlsFileException {
    UpstreamTls tls = UpstreamTls.build(config.tls(), previous == null ? null : previous.tls);
    Map<String, Endpoint> known = new HashMap<>();
    if (previous != null) {
      for (Endpoint e : previous.endpoints) {
        known.put(e.url(), e);
      }
    }
    String primary = config.effectivePrimary();
    boolean keepWeights = previous != null
        && configuredWeights(previous.config).equals(configuredWeights(config));
    // A detector is kept only with the weights it acts on and the settings it was made with.
    boolean keepDetectors = keepWeights && previous.config.effectivePrimary().equals(primary)
        && previous.config.rollback().equals(config.rollback());
    List<Endpoint> all = new ArrayList<>();
    List<Version> versions = new ArrayList<>();
    List<Version> fresh = new ArrayList<>();
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
      Version old = keepWeights ? previous.versionsByName.get(vname) : null;
      AtomicInteger weight = old != null ? old.weight : new AtomicInteger(vc.weight());
      CircuitBreaker detector = null;
      boolean watched = !vname.equals(primary) && config.rollback().enabled();
      if (watched && keepDetectors && old != null && old.rollbackDetector != null) {
        detector = old.rollbackDetector;
      } else if (watched) {
        detector = Breakers.rollbackDetector(name + "/" + vname, config.rollback());
      }
      Version v = new Version(vname, vname.equals(primary), vc.weight(), weight,
          balancer(config.loadBalancer(), eps, weights), weights, detector);
      versions.add(v);
      if (detector != null && (old == null || detector != old.rollbackDetector)) {
        fresh.add(v);
      }
    }
    CircuitBreaker cb = null;
    if (config.circuitBreaker().enabled()) {
      cb = previous != null && previous.circuitBreaker != null
          && previous.config.circuitBreaker().equals(config.circuitBreaker())
          ? previous.circuitBreaker : Breakers.service(name, config.circuitBreaker());
    }
    RetryBudget budget = previous != null && previous.config.retryBudget().equals(config.retryBudget())
        ? previous.retryBudget : new RetryBudget(config.retryBudget());
    Service s = new Service(name, config, versions.toArray(new Version[0]), all.toArray(new Endpoint[0]), cb, budget,
        tls);
    // Registered once per detector, when it is made: a carried-over detector keeps its listener.
    // The listener holds the two versions it acts on, not the Service, so a detector that lives
    // through many reloads neither piles up listeners nor keeps old Services alive; their weights
    // are the ones later Services share, since a detector is carried only with its weights.
    Version primaryVersion = s.primaryVersion();
    long windowSeconds = config.rollback().window().toSeconds();
    for (Version v : fresh) {
      CircuitBreaker d = v.rollbackDetector;
      d.getEventPublisher().onStateTransition(e -> {
        if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
          VersionWeights.rollBack(name, v, primaryVersion, "error rate " + d.getMetrics().getFailureRate() + "% of "
              + d.getMetrics().getNumberOfBufferedCalls() + " calls over " + windowSeconds + "s");
        }
      });
    }
    return s;
  }

  /** The file's weight of every version, the key of whether weights in force carry over. */
  private static Map<String, Integer> configuredWeights(ServiceConfig config) {
    Map<String, Integer> out = new HashMap<>();
    config.effectiveVersions().forEach((n, v) -> out.put(n, v.weight()));
    return out;
  }

  private static LoadBalancer balancer(LoadBalancerConfig lb, Endpoint[] eps, int[] weights) {
    return switch (lb.policy()) {
      case ROUND_ROBIN -> new RoundRobinLoadBalancer(eps, weights);
      case LEAST_REQUEST -> new LeastRequestLoadBalancer(eps, weights);
      case CONSISTENT_HASH -> new ConsistentHashLoadBalancer(eps, weights, lb.hashHeader(), lb.hashCookie());
    };
  }

  /** {@link #version(HttpServerRequest, long, Version)} for a first attempt. */
  public Version version(HttpServerRequest request, long nowNanos) {
    return version(request, nowNanos, null);
  }

  /**
   * The version a request goes to: the one its version header names, whatever its weight (testers
   * reach a canary at 0 this way); else one drawn by weight among those with an available
   * endpoint, other than {@code avoid} (the version a retry comes from, may be null) when another
   * can take it, so that a failing canary's attempt is retried on the stable version; else any
   * with a weight; else the primary. Never null.
   */
  public Version version(HttpServerRequest request, long nowNanos, Version avoid) {
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
    Version v = draw(nowNanos, true, avoid);
    if (v == null && avoid != null) {
      v = draw(nowNanos, true, null);
    }
    if (v == null) {
      v = draw(nowNanos, false, null);
    }
    // Every weight 0 cannot be set through the admin API, but a rollback racing with it could
    // leave it for a moment: the primary is where traffic falls back to.
    return v != null ? v : primaryVersion();
  }

  private Version draw(long nowNanos, boolean onlyAvailable, Version avoid) {
    // Weights read once, so the draw is consistent while the admin API or a rollback changes them.
    int[] w = new int[versions.length];
    int total = 0;
    for (int i = 0; i < versions.length; i++) {
      Version v = versions[i];
      if (v != avoid && (!onlyAvailable || v.available(nowNanos))) {
        w[i] = v.weight();
        total += w[i];
      }
    }
    if (total <= 0) {
      return null;
    }
    int r = ThreadLocalRandom.current().nextInt(total);
    for (int i = 0; i < versions.length; i++) {
      r -= w[i];
      if (r < 0) {
        return versions[i];
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
    CircuitBreaker detector = version.rollbackDetector;
    if (circuitBreaker != null) {
      if (detector != null) {
        // A version under automatic rollback answers for its failures to its own window: were
        // they counted here, a bad canary could open the circuit for the stable version too,
        // turning the canary's errors into everyone's. The permission taken for it is handed back
        // (it counts while half-open).
        circuitBreaker.releasePermission();
      } else if (failed) {
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
    // A version at 0 gets only pinned requests (testers): they must not trip a rollback again.
    if (detector != null && version.weight() > 0) {
      if (failed) {
        detector.onError(durationNanos, TimeUnit.NANOSECONDS, Breakers.FAILED);
      } else {
        detector.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  /**
   * Called after active health checks changed an endpoint, and after outlier detection ejected
   * one: a watched version with a weight and no endpoint that can take traffic rolls back.
   * Ejections count because a canary that fails everything has its endpoints ejected after a few
   * failures in a row, long before its error-rate window has its minimum of calls; skipped by the
   * draw from then on, it would never reach that minimum and would come back after each ejection
   * to fail again instead of being rolled back.
   */
  public void healthChanged() {
    long now = System.nanoTime();
    for (Version v : versions) {
      if (v.rollbackDetector != null && v.weight() > 0 && !v.available(now)) {
        VersionWeights.rollBack(name, v, primaryVersion(), v.anyHealthy()
            ? "every endpoint ejected by outlier detection" : "all its endpoints fail health checks");
      }
    }
  }

  /** Admin API: see {@link VersionWeights#set}. */
  public void setWeights(Map<String, Integer> weights, String why) {
    this.weights.set(weights, why);
  }

  /** Admin API: the named version gets all traffic (100, the others 0). */
  public void promote(String version) {
    weights.promote(version);
  }

  /** Admin API: every version but the primary goes to weight 0. */
  public void rollBackAll() {
    weights.rollBackAll();
  }

  /** The weights in force, by version name. */
  public Map<String, Integer> weights() {
    return weights.current();
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

  /**
   * Points {@code options} at {@code endpoint}: its address and, for an https:// endpoint, the
   * service's TLS settings (with {@code serverName}, the connection goes to the endpoint's address
   * while SNI and the certificate check use that name). Every upstream request goes through here:
   * proxied requests, WebSocket upgrades and health checks.
   */
  public RequestOptions target(RequestOptions options, Endpoint endpoint) {
    if (!endpoint.tls()) {
      return options.setHost(endpoint.host()).setPort(endpoint.port());
    }
    options.setSsl(true).setSslOptions(tls.options());
    String serverName = tls.serverName();
    if (serverName == null) {
      return options.setHost(endpoint.host()).setPort(endpoint.port());
    }
    return options.setServer(endpoint.address()).setHost(serverName).setPort(endpoint.port());
  }

  /** The TLS settings of the service's https endpoints. */
  public UpstreamTls tls() {
    return tls;
  }

  public long connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  public long responseTimeoutMillis() {
    return responseTimeoutMillis;
  }
}
