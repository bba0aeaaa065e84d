package dev.citizen.gateway.metrics;

import dev.citizen.gateway.upstream.Endpoint;
import dev.citizen.gateway.upstream.Service;
import dev.citizen.gateway.upstream.Version;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The upstream state as gauges, read from the serving snapshot's services at scrape time: circuit
 * breaker state, service availability, endpoint health, ejection and in-flight attempts, and the
 * ejection count. {@link #refresh} runs before each scrape: it registers the gauges of services
 * and endpoints a reload added, points every gauge at the live objects of the snapshot now
 * serving (a reload rebuilds {@code Service}s and may replace breakers), and removes every
 * service- or endpoint-labelled meter of what the config no longer has, the attempt counters and
 * histograms included.
 *
 * <p>Gauges read volatile fields only; nothing here touches the request path.
 */
final class UpstreamState {
  static final String CIRCUIT_STATE = "gateway.circuit.breaker.state";
  static final String SERVICE_AVAILABLE = "gateway.service.available";
  static final String ENDPOINT_HEALTHY = "gateway.endpoint.healthy";
  static final String ENDPOINT_EJECTED = "gateway.endpoint.ejected";
  static final String ENDPOINT_EJECTIONS = "gateway.endpoint.ejections";
  static final String UPSTREAM_IN_FLIGHT = "gateway.upstream.in.flight";

  /** Label values of {@code state}; a service's series for its current state is 1, the others 0. */
  static final String[] CIRCUIT_STATES = {"closed", "open", "half_open", "disabled"};

  /** Meters labelled by service (and endpoint) that follow the config: removed with what they name. */
  private static final Set<String> FOLLOW_CONFIG = Set.of(CIRCUIT_STATE, SERVICE_AVAILABLE, ENDPOINT_HEALTHY,
      ENDPOINT_EJECTED, ENDPOINT_EJECTIONS, UPSTREAM_IN_FLIGHT, EndpointMeters.UPSTREAM_DURATION,
      EndpointMeters.CONNECT_ERRORS, EndpointMeters.TIMEOUTS, ServiceMeters.RETRY_BUDGET_EXHAUSTED,
      ServiceMeters.CIRCUIT_REJECTIONS);

  private final MeterRegistry registry;
  private final RequestMetrics requests;
  private final Supplier<Map<String, Service>> services;
  /** What the registered gauges read, by the labels they carry; repointed by every refresh. */
  private final Map<String, ServiceRef> serviceRefs = new HashMap<>();
  private final Map<String, EndpointRef> endpointRefs = new HashMap<>();
  private final Map<String, EndpointRef> versionEndpointRefs = new HashMap<>();

  private static final class ServiceRef {
    volatile Service service;
  }

  private static final class EndpointRef {
    volatile Endpoint endpoint;
  }

  UpstreamState(MeterRegistry registry, RequestMetrics requests, Supplier<Map<String, Service>> services) {
    this.registry = registry;
    this.requests = requests;
    this.services = services;
  }

  /** Makes the gauges match the services now serving; called before each scrape. */
  synchronized void refresh() {
    Map<String, Service> now = services.get();
    Map<String, List<String>> urls = new LinkedHashMap<>();
    Set<String> versionKeys = new java.util.HashSet<>();
    for (Service s : now.values()) {
      String name = s.name();
      serviceRefs.computeIfAbsent(name, this::registerService).service = s;
      ServiceMeters counters = requests.service(name); // counters at 0 from the start
      List<String> serviceUrls = new ArrayList<>();
      for (Version v : s.versions()) {
        for (Endpoint e : v.endpoints()) {
          String key = name + '\n' + v.name() + '\n' + e.url();
          versionKeys.add(key);
          versionEndpointRefs.computeIfAbsent(key, k -> registerVersionEndpoint(name, v.name(), e.url()))
              .endpoint = e;
          if (!serviceUrls.contains(e.url())) {
            serviceUrls.add(e.url());
            endpointRefs.computeIfAbsent(name + '\n' + e.url(), k -> registerEndpoint(name, e.url())).endpoint = e;
            counters.endpoint(e.url());
          }
        }
      }
      urls.put(name, serviceUrls);
    }
    // The registry first, the caches after: a meter that a late request of the old snapshot
    // registers in between is then either removed now or by the next refresh, never left behind.
    for (Meter m : registry.getMeters()) {
      Meter.Id id = m.getId();
      if (!FOLLOW_CONFIG.contains(id.getName())) {
        continue;
      }
      String service = id.getTag("service");
      String version = id.getTag("version");
      String endpoint = id.getTag("endpoint");
      List<String> serviceUrls = urls.get(service);
      boolean keep = serviceUrls != null && (version != null
          ? versionKeys.contains(service + '\n' + version + '\n' + endpoint)
          : endpoint == null || serviceUrls.contains(endpoint));
      if (!keep) {
        registry.remove(m);
      }
    }
    serviceRefs.keySet().retainAll(urls.keySet());
    versionEndpointRefs.keySet().retainAll(versionKeys);
    endpointRefs.keySet().removeIf(k -> {
      int nl = k.indexOf('\n');
      List<String> serviceUrls = urls.get(k.substring(0, nl));
      return serviceUrls == null || !serviceUrls.contains(k.substring(nl + 1));
    });
    requests.retain(urls);
  }

  private ServiceRef registerService(String name) {
    ServiceRef ref = new ServiceRef();
    for (int i = 0; i < CIRCUIT_STATES.length; i++) {
      int state = i;
      Gauge.builder(CIRCUIT_STATE, ref, r -> circuitState(r.service.circuitBreaker()) == state ? 1 : 0)
          .description("The service's circuit breaker: 1 for the state it is in, 0 for the others")
          .tags("service", name, "state", CIRCUIT_STATES[i])
          .strongReference(true).register(registry);
    }
    Gauge.builder(SERVICE_AVAILABLE, ref, r -> r.service.available(System.nanoTime()) ? 1 : 0)
        .description("1 while some endpoint of the service can take traffic (healthy, not ejected, weight > 0)")
        .tags("service", name)
        .strongReference(true).register(registry);
    return ref;
  }

  private EndpointRef registerVersionEndpoint(String service, String version, String url) {
    EndpointRef ref = new EndpointRef();
    Gauge.builder(ENDPOINT_HEALTHY, ref, r -> r.endpoint.healthy() ? 1 : 0)
        .description("1 while the endpoint passes active health checks (always 1 without them)")
        .tags("service", service, "version", version, "endpoint", url)
        .strongReference(true).register(registry);
    Gauge.builder(ENDPOINT_EJECTED, ref, r -> r.endpoint.ejected(System.nanoTime()) ? 1 : 0)
        .description("1 while outlier detection keeps the endpoint out")
        .tags("service", service, "version", version, "endpoint", url)
        .strongReference(true).register(registry);
    return ref;
  }

  private EndpointRef registerEndpoint(String service, String url) {
    EndpointRef ref = new EndpointRef();
    Gauge.builder(UPSTREAM_IN_FLIGHT, ref, r -> r.endpoint.inFlight())
        .description("Requests sent to the endpoint and not yet answered in full: the connections in use")
        .tags("service", service, "endpoint", url)
        .strongReference(true).register(registry);
    // A function counter holds its object weakly: endpointRefs keeps the ref while the endpoint is configured.
    FunctionCounter.builder(ENDPOINT_EJECTIONS, ref, r -> r.endpoint.totalEjections())
        .description("Times outlier detection ejected the endpoint")
        .tags("service", service, "endpoint", url)
        .register(registry);
    return ref;
  }

  /** Index into {@link #CIRCUIT_STATES}; forced open counts as open, metrics-only as closed. */
  static int circuitState(CircuitBreaker cb) {
    if (cb == null) {
      return 3;
    }
    return switch (cb.getState()) {
      case CLOSED, METRICS_ONLY -> 0;
      case OPEN, FORCED_OPEN -> 1;
      case HALF_OPEN -> 2;
      case DISABLED -> 3;
    };
  }
}
