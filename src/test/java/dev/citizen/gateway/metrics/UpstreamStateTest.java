package dev.citizen.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.config.ConfigLoader;
import dev.citizen.gateway.observe.Attempt;
import dev.citizen.gateway.server.Snapshot;
import dev.citizen.gateway.upstream.Service;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The scrape-time upstream gauges across reloads: they follow the snapshot now serving, and every
 * service- or endpoint-labelled meter of what a reload removed goes, also one that a late request
 * of the old snapshot registered after the removal.
 */
class UpstreamStateTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RequestMetrics requests = new RequestMetrics(registry);
  private final AtomicReference<Map<String, Service>> serving = new AtomicReference<>();
  private final UpstreamState state = new UpstreamState(registry, requests, serving::get);

  private static Snapshot compile(String services, Snapshot previous) throws Exception {
    return Snapshot.compile(new ConfigLoader().parse("services:\n" + services, "test"), previous);
  }

  private static final String A = """
        a:
          endpoints: [{url: "http://127.0.0.1:9001"}, {url: "http://127.0.0.1:9002"}]
      """;
  private static final String B = """
        b:
          versions:
            stable: {weight: 90, endpoints: [{url: "http://127.0.0.1:9101"}]}
            canary: {weight: 10, endpoints: [{url: "http://127.0.0.1:9102"}]}
          circuitBreaker: {enabled: false}
      """;

  private Set<String> endpointsOf(String meter) {
    return registry.find(meter).meters().stream().map(m -> m.getId().getTag("service") + " "
        + m.getId().getTag("endpoint")).collect(Collectors.toSet());
  }

  private double gauge(String name, String... tags) {
    Gauge g = registry.find(name).tags(tags).gauge();
    if (g == null) {
      throw new AssertionError("no gauge " + name + " " + String.join(",", tags));
    }
    return g.value();
  }

  @Test
  void gaugesFollowTheServingSnapshotAndWhatAReloadRemovedIsGone() throws Exception {
    Snapshot first = compile(A + B, null);
    serving.set(first.services());
    state.refresh();
    assertEquals(Set.of("a http://127.0.0.1:9001", "a http://127.0.0.1:9002", "b http://127.0.0.1:9101",
        "b http://127.0.0.1:9102"), endpointsOf(UpstreamState.UPSTREAM_IN_FLIGHT));
    assertEquals(1, gauge(UpstreamState.ENDPOINT_HEALTHY, "service", "b", "version", "canary",
        "endpoint", "http://127.0.0.1:9102"));
    assertEquals(1, gauge(UpstreamState.CIRCUIT_STATE, "service", "a", "state", "closed"));
    assertEquals(1, gauge(UpstreamState.CIRCUIT_STATE, "service", "b", "state", "disabled"));
    assertEquals(0, registry.find(EndpointMeters.CONNECT_ERRORS).tags("service", "a").counter().count(),
        "counters exist at 0 before the first failure");

    // The breaker of the serving snapshot is the one read.
    CircuitBreaker cb = first.services().get("a").circuitBreaker();
    cb.transitionToOpenState();
    assertEquals(1, gauge(UpstreamState.CIRCUIT_STATE, "service", "a", "state", "open"));
    assertEquals(0, gauge(UpstreamState.CIRCUIT_STATE, "service", "a", "state", "closed"));

    // Reload: a loses an endpoint and gets a new breaker (its settings changed), b goes away.
    Snapshot second = compile(A.replace(", {url: \"http://127.0.0.1:9002\"}", "")
        + "    circuitBreaker: {minimumCalls: 7}\n", first);
    assertNotSame(cb, second.services().get("a").circuitBreaker());
    // A request of the old snapshot records after the reload, before the refresh...
    requests.service("b").endpoint("http://127.0.0.1:9101").ended(Attempt.Outcome.CONNECT_FAILED, 1_000_000);
    serving.set(second.services());
    state.refresh();
    assertEquals(Set.of("a http://127.0.0.1:9001"), endpointsOf(UpstreamState.UPSTREAM_IN_FLIGHT));
    assertEquals(Set.of("a http://127.0.0.1:9001"), endpointsOf(EndpointMeters.CONNECT_ERRORS));
    assertEquals(Set.of("a http://127.0.0.1:9001"), endpointsOf(UpstreamState.ENDPOINT_EJECTIONS));
    for (Meter m : registry.getMeters()) {
      assertTrue(!"b".equals(m.getId().getTag("service")), "left behind: " + m.getId());
    }
    assertEquals(1, gauge(UpstreamState.CIRCUIT_STATE, "service", "a", "state", "closed"),
        "the new breaker, not the old open one");

    // ...and one that records after the refresh is removed by the next one.
    requests.service("b").endpoint("http://127.0.0.1:9101").ended(Attempt.Outcome.TIMEOUT, 1_000_000);
    assertEquals(1, registry.find(EndpointMeters.TIMEOUTS).tags("service", "b").counter().count());
    state.refresh();
    assertNull(registry.find(EndpointMeters.TIMEOUTS).tags("service", "b").counter());

    // b comes back: fresh meters that count again.
    Snapshot third = compile(A + B, second);
    serving.set(third.services());
    state.refresh();
    requests.service("b").endpoint("http://127.0.0.1:9101").ended(Attempt.Outcome.TIMEOUT, 1_000_000);
    assertEquals(1, registry.find(EndpointMeters.TIMEOUTS).tags("service", "b", "endpoint",
        "http://127.0.0.1:9101").counter().count());
    assertEquals(1, gauge(UpstreamState.SERVICE_AVAILABLE, "service", "b"));
  }

  @Test
  void circuitStatesMapOntoFourLabelValues() {
    CircuitBreaker cb = CircuitBreaker.ofDefaults("t");
    assertEquals("closed", UpstreamState.CIRCUIT_STATES[UpstreamState.circuitState(cb)]);
    cb.transitionToOpenState();
    assertEquals("open", UpstreamState.CIRCUIT_STATES[UpstreamState.circuitState(cb)]);
    cb.transitionToHalfOpenState();
    assertEquals("half_open", UpstreamState.CIRCUIT_STATES[UpstreamState.circuitState(cb)]);
    cb.transitionToForcedOpenState();
    assertEquals("open", UpstreamState.CIRCUIT_STATES[UpstreamState.circuitState(cb)]);
    cb.transitionToDisabledState();
    assertEquals("disabled", UpstreamState.CIRCUIT_STATES[UpstreamState.circuitState(cb)]);
    assertEquals("disabled", UpstreamState.CIRCUIT_STATES[UpstreamState.circuitState(null)]);
  }
}
