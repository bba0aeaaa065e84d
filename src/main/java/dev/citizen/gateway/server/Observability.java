package dev.citizen.gateway.server;

import dev.citizen.gateway.accesslog.AccessLog;
import dev.citizen.gateway.config.ObservabilityConfig;
import dev.citizen.gateway.metrics.GatewayMetrics;
import dev.citizen.gateway.observe.Observers;
import dev.citizen.gateway.observe.RequestObserver;
import dev.citizen.gateway.tracing.Tracing;
import dev.citizen.gateway.upstream.Service;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Puts together what observes the gateway, from the {@code observability} config: the request
 * observers (tracing first, then metrics, then the access log) and what they serve on the admin
 * port. Built once at start.
 */
final class Observability {
  private final List<RequestObserver> observers = new ArrayList<>();
  private final Map<String, Handler<HttpServerRequest>> adminRoutes = new LinkedHashMap<>();
  private final List<Supplier<Future<Void>>> closers = new ArrayList<>();
  private final Observers all;
  /** Null when metrics are off. */
  private GatewayMetrics metrics;

  Observability(Vertx vertx, ObservabilityConfig config, Supplier<Map<String, Service>> services) {
    // Tracing first: the span ids it sets on the record are the ones the other observers see.
    Tracing tracing = Tracing.start(config.tracing(), observers.size());
    if (tracing != null) {
      observers.add(tracing.observer());
      closers.add(() -> tracing.close(vertx));
    }
    // metrics: observer and GET /metrics; when off, neither exists (no cost per request, 404)
    if (config.metrics().enabled()) {
      GatewayMetrics m = new GatewayMetrics(vertx, services);
      metrics = m;
      observers.add(m.observer());
      adminRoutes.put("/metrics", m.endpoint());
      closers.add(() -> {
        m.close();
        return Future.succeededFuture();
      });
    }
    if (config.accessLog().enabled()) { // logs part: one JSON line per request, written off the event loop
      AccessLog accessLog = new AccessLog(vertx, config.accessLog());
      observers.add(accessLog);
      closers.add(accessLog::close);
      if (metrics != null) {
        metrics.accessLogDrops(accessLog::dropped);
      }
    }
    all = new Observers(observers);
  }

  /** A changed config file was applied ({@code true}) or rejected: counted by the metrics. */
  void configReloaded(boolean applied) {
    if (metrics != null) {
      metrics.configReloaded(applied);
    }
  }

  /** The request observers, as one. */
  Observers observers() {
    return all;
  }

  /** Admin endpoints by path, e.g. {@code /metrics}. */
  Map<String, Handler<HttpServerRequest>> adminRoutes() {
    return adminRoutes;
  }

  /** Flushes and stops what the observers run in the background (exporters, log writers). */
  Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    for (Supplier<Future<Void>> c : closers) {
      all.add(c.get());
    }
    return Future.join(all).mapEmpty();
  }
}
