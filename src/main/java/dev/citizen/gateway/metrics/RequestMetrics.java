package dev.citizen.gateway.metrics;

import dev.citizen.gateway.observe.Attempt;
import dev.citizen.gateway.observe.RequestObserver;
import dev.citizen.gateway.observe.Rejection;
import dev.citizen.gateway.observe.RequestRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request observer that feeds the request and upstream metrics. It runs on every event loop
 * for every request, so it keeps no per-request state, finds its meters in maps keyed by the
 * config's own strings (route id, service name, endpoint URL: bounded, and their hash codes are
 * cached), and records with the atomics inside Micrometer's meters; no lock, no id or tag list is
 * built per request.
 *
 * <p>In flight: a request counts from its first upstream attempt to its end, since the route is
 * not known when it starts and no hook says when it is. What the gateway answers itself (404,
 * 413, circuit open) is never in flight for longer than its write.
 */
final class RequestMetrics implements RequestObserver {
  /** The route and service label of requests that matched no route. */
  static final String NONE = "none";
  static final String REJECTED = "gateway.requests.rejected";
  static final String CUT = "gateway.connections.cut";

  private final MeterRegistry registry;
  private final RouteMeters noRoute;
  /** By route id; the entry's service is checked, since a reload may point a route elsewhere. */
  private final ConcurrentHashMap<String, RouteMeters> routes = new ConcurrentHashMap<>();
  /** By route id and service: the slow path while two snapshots disagree about a route. */
  private final ConcurrentHashMap<String, RouteMeters> routesByService = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ServiceMeters> services = new ConcurrentHashMap<>();
  /** By problem code: the few the connection guard answers with (bad_request, uri_too_long, ...). */
  private final ConcurrentHashMap<String, Counter> rejected = new ConcurrentHashMap<>();
  /** By reason: connections closed over how the client sent, with no request to answer. */
  private final ConcurrentHashMap<String, Counter> cut = new ConcurrentHashMap<>();

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.noRoute = new RouteMeters(registry, NONE, NONE);
  }

  @Override
  public void attemptStarted(RequestRecord record, Attempt attempt) {
    if (record.attempts() == 1) {
      route(record).started(record.request().method());
    }
  }

  @Override
  public void attemptEnded(RequestRecord record, Attempt attempt) {
    if (attempt.outcome() != null) {
      service(attempt.service()).endpoint(attempt.endpoint()).ended(attempt.outcome(), attempt.durationNanos());
    }
  }

  @Override
  public void event(RequestRecord record, String name) {
    switch (name) {
      case "retry" -> route(record).retried();
      case "retry_budget_exhausted" -> service(record.service()).budgetExhausted();
      case "circuit_open" -> service(record.service()).circuitRejected();
      default -> {
        // no_endpoint and deadline show as the 503 / 504 in the request metrics
      }
    }
  }

  @Override
  public void requestEnded(RequestRecord record) {
    route(record).ended(record.request().method(), record.status(), record.durationNanos(), record.attempts() > 0);
  }

  /**
   * Not in {@code gateway_request_duration}: nothing of the head was read (no method, no route)
   * and there is no duration from a head that never completed.
   */
  @Override
  public void rejected(Rejection rejection) {
    Counter c = rejected.get(rejection.problemCode());
    if (c == null) {
      c = rejected.computeIfAbsent(rejection.problemCode(), code -> Counter.builder(REJECTED)
          .description("Requests the connection guard refused before routing (malformed or ambiguous head, "
              + "a limit, the head timeout), by problem code")
          .tags("code", code, "status", Integer.toString(rejection.status()))
          .register(registry));
    }
    c.increment();
  }

  @Override
  public void connectionCut(String reason) {
    cut.computeIfAbsent(reason, r -> Counter.builder(CUT)
        .description("Connections the gateway closed over how the client sent, with no request to answer "
            + "(http2_frame_timeout: a frame or head trickled past the head timeout), by reason")
        .tags("reason", r)
        .register(registry)).increment();
  }

  private RouteMeters route(RequestRecord record) {
    String id = record.routeId();
    if (id == null) {
      return noRoute;
    }
    String service = record.service() == null ? NONE : record.service();
    RouteMeters m = routes.get(id);
    if (m != null && (m.service == service || m.service.equals(service))) {
      return m;
    }
    m = routesByService.computeIfAbsent(id + '\n' + service, k -> new RouteMeters(registry, id, service));
    routes.put(id, m);
    return m;
  }

  ServiceMeters service(String name) {
    ServiceMeters m = services.get(name);
    return m != null ? m : services.computeIfAbsent(name, n -> new ServiceMeters(registry, n));
  }

  /**
   * Forgets the services and endpoints the config no longer has, so that one coming back later
   * gets meters registered anew; their meters have been removed from the registry already.
   */
  void retain(Map<String, ? extends Collection<String>> endpointsByService) {
    // One pass, checking each entry: a late request of the old snapshot may add one meanwhile.
    services.entrySet().removeIf(e -> {
      Collection<String> urls = endpointsByService.get(e.getKey());
      if (urls == null) {
        return true;
      }
      e.getValue().endpoints.keySet().retainAll(urls);
      return false;
    });
  }
}
