package dev.citizen.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of one service's protections, {@code gateway_retry_budget_exhausted_total} and
 * {@code gateway_circuit_rejections_total}, and the meters of its endpoints by URL.
 */
final class ServiceMeters {
  static final String RETRY_BUDGET_EXHAUSTED = "gateway.retry.budget.exhausted";
  static final String CIRCUIT_REJECTIONS = "gateway.circuit.rejections";

  private final MeterRegistry registry;
  final String service;
  private final Counter budgetExhausted;
  private final Counter circuitRejections;
  final ConcurrentHashMap<String, EndpointMeters> endpoints = new ConcurrentHashMap<>();

  ServiceMeters(MeterRegistry registry, String service) {
    this.registry = registry;
    this.service = service;
    this.budgetExhausted = Counter.builder(RETRY_BUDGET_EXHAUSTED)
        .description("Retries not made because the service's retry budget was spent")
        .tags("service", service).register(registry);
    this.circuitRejections = Counter.builder(CIRCUIT_REJECTIONS)
        .description("Requests answered 503 circuit_open without calling the service")
        .tags("service", service).register(registry);
  }

  void budgetExhausted() {
    budgetExhausted.increment();
  }

  void circuitRejected() {
    circuitRejections.increment();
  }

  EndpointMeters endpoint(String url) {
    EndpointMeters m = endpoints.get(url);
    // get first: computeIfAbsent may lock the bin even when the entry is there.
    return m != null ? m : endpoints.computeIfAbsent(url, u -> new EndpointMeters(registry, service, u));
  }
}
