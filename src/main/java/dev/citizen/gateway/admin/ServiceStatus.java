package dev.citizen.gateway.admin;

import dev.citizen.gateway.upstream.Endpoint;
import dev.citizen.gateway.upstream.Service;
import dev.citizen.gateway.upstream.Version;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run-time state of the services as {@code GET /admin/services} shows it (shape in
 * docs/resilience.md), and the services {@code GET /health/ready?services=true} reports down.
 * Reads the live objects without locks: each value is current, the whole is not one instant.
 */
final class ServiceStatus {
  private ServiceStatus() {}

  static JsonObject render(Map<String, Service> services, long nowNanos) {
    JsonObject all = new JsonObject();
    services.forEach((name, s) -> all.put(name, service(s, nowNanos)));
    return new JsonObject().put("services", all);
  }

  /** The services without an endpoint that can take a request now, in config order. */
  static List<String> unavailable(Map<String, Service> services, long nowNanos) {
    List<String> down = new ArrayList<>();
    services.forEach((name, s) -> {
      if (!s.available(nowNanos)) {
        down.add(name);
      }
    });
    return down;
  }

  /** The readiness answer naming the services without an endpoint. */
  static JsonObject down(List<String> unavailable) {
    return new JsonObject().put("status", "DOWN").put("unavailable", new JsonArray(unavailable));
  }

  private static JsonObject service(Service s, long nowNanos) {
    boolean checked = s.config().healthCheck() != null;
    JsonObject versions = new JsonObject();
    for (Version v : s.versions()) {
      JsonArray endpoints = new JsonArray();
      for (Endpoint e : v.endpoints()) {
        endpoints.add(endpoint(e, checked, nowNanos));
      }
      versions.put(v.name(), new JsonObject()
          .put("weight", v.weight())
          .put("configuredWeight", v.configuredWeight())
          .put("primary", v.primary())
          .put("endpoints", endpoints));
    }
    return new JsonObject()
        .put("loadBalancer", s.config().loadBalancer().policy().name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .put("circuitBreaker", circuitBreaker(s.circuitBreaker()))
        .put("available", s.available(nowNanos))
        .put("versions", versions);
  }

  private static JsonObject circuitBreaker(CircuitBreaker cb) {
    if (cb == null) {
      return new JsonObject().put("state", "DISABLED");
    }
    CircuitBreaker.Metrics m = cb.getMetrics();
    // Rates are -1 until the window holds minimumCalls calls (resilience4j's convention).
    return new JsonObject()
        .put("state", cb.getState().name())
        .put("failureRate", m.getFailureRate())
        .put("slowCallRate", m.getSlowCallRate())
        .put("bufferedCalls", m.getNumberOfBufferedCalls())
        .put("failedCalls", m.getNumberOfFailedCalls());
  }

  private static JsonObject endpoint(Endpoint e, boolean checked, long nowNanos) {
    long ejectedFor = e.ejectedForMillis(nowNanos);
    JsonObject o = new JsonObject()
        .put("url", e.url())
        .put("state", e.state(nowNanos))
        .put("healthy", e.healthy())
        .put("ejected", ejectedFor > 0)
        .put("ejectedForMillis", ejectedFor)
        .put("ejections", e.ejections())
        .put("inFlight", e.inFlight())
        .put("consecutiveFailures", e.consecutiveFailures());
    if (checked) {
      o.put("lastCheck", e.lastCheck());
    }
    return o;
  }
}
