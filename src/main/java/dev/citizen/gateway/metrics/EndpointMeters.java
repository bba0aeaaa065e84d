package dev.citizen.gateway.metrics;

import dev.citizen.gateway.observe.Attempt;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The attempt meters of one endpoint of a service: {@code gateway_upstream_request_duration_seconds}
 * per outcome, {@code gateway_upstream_connect_errors_total} and
 * {@code gateway_upstream_timeouts_total}. The counters exist from the start (at 0, so that a
 * rate over them is defined before the first failure); a timer appears with its first outcome.
 */
final class EndpointMeters {
  static final String UPSTREAM_DURATION = "gateway.upstream.request.duration";
  static final String CONNECT_ERRORS = "gateway.upstream.connect.errors";
  static final String TIMEOUTS = "gateway.upstream.timeouts";

  /** Label values of {@code outcome}, indexed by {@link Attempt.Outcome#ordinal()}. */
  static final String[] OUTCOMES = new String[Attempt.Outcome.values().length];

  static {
    for (Attempt.Outcome o : Attempt.Outcome.values()) {
      OUTCOMES[o.ordinal()] = o.name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final String service;
  private final String endpoint;
  private final AtomicReferenceArray<Timer> durations = new AtomicReferenceArray<>(OUTCOMES.length);
  private final Counter connectErrors;
  private final Counter timeouts;

  EndpointMeters(MeterRegistry registry, String service, String endpoint) {
    this.registry = registry;
    this.service = service;
    this.endpoint = endpoint;
    this.connectErrors = Counter.builder(CONNECT_ERRORS)
        .description("Attempts whose connection to the endpoint failed (refused, unreachable, connect timeout)")
        .tags("service", service, "endpoint", endpoint).register(registry);
    this.timeouts = Counter.builder(TIMEOUTS)
        .description("Attempts that got no response head from the endpoint within the response timeout")
        .tags("service", service, "endpoint", endpoint).register(registry);
  }

  void ended(Attempt.Outcome outcome, long nanos) {
    duration(outcome.ordinal()).record(nanos, TimeUnit.NANOSECONDS);
    if (outcome == Attempt.Outcome.CONNECT_FAILED) {
      connectErrors.increment();
    } else if (outcome == Attempt.Outcome.TIMEOUT) {
      timeouts.increment();
    }
  }

  private Timer duration(int outcome) {
    Timer t = durations.get(outcome);
    if (t == null) {
      t = Timer.builder(UPSTREAM_DURATION)
          .description("Attempts at an endpoint, from sending to the end of the response head (or the failure)")
          .tags("service", service, "endpoint", endpoint, "outcome", OUTCOMES[outcome])
          .serviceLevelObjectives(Buckets.LATENCY)
          .register(registry);
      durations.set(outcome, t);
    }
    return t;
  }
}
