package dev.citizen.gateway.upstream;

import dev.citizen.gateway.config.CircuitBreakerConfig;
import dev.citizen.gateway.config.RollbackConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the resilience4j circuit breakers the gateway uses, from its own config records. */
final class Breakers {
  private static final Logger LOG = LoggerFactory.getLogger(Breakers.class);

  /** The exception recorded for a failed call: a 5xx answer or a transport failure. */
  static final Exception FAILED = new Exception("upstream failure", null, false, false) { };

  private Breakers() {}

  /** The service's circuit breaker; every state change is logged. */
  static CircuitBreaker service(String service, CircuitBreakerConfig c) {
    var config = io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
        .slidingWindowType(SlidingWindowType.TIME_BASED)
        .slidingWindowSize((int) c.window().toSeconds())
        .minimumNumberOfCalls(c.minimumCalls())
        .failureRateThreshold(c.failureRateThreshold())
        .slowCallDurationThreshold(c.slowCallThreshold())
        .slowCallRateThreshold(c.failureRateThreshold())
        .waitDurationInOpenState(c.openFor())
        .permittedNumberOfCallsInHalfOpenState(c.halfOpenCalls())
        .writableStackTraceEnabled(false)
        .build();
    CircuitBreaker cb = CircuitBreaker.of(service, config);
    cb.getEventPublisher().onStateTransition(e -> LOG.warn("service {}: circuit {} -> {} (failure rate {}%, slow "
        + "call rate {}%)", service, e.getStateTransition().getFromState(), e.getStateTransition().getToState(),
        cb.getMetrics().getFailureRate(), cb.getMetrics().getSlowCallRate()));
    return cb;
  }

  /**
   * A breaker used only to measure a version's error rate over a sliding window: it never gates
   * calls; its opening is the signal to roll the version back.
   */
  static CircuitBreaker rollbackDetector(String name, RollbackConfig c) {
    var config = io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
        .slidingWindowType(SlidingWindowType.TIME_BASED)
        .slidingWindowSize((int) c.window().toSeconds())
        .minimumNumberOfCalls(c.minimumCalls())
        .failureRateThreshold(c.errorRate())
        .slowCallRateThreshold(100)
        .slowCallDurationThreshold(Duration.ofDays(1))
        .waitDurationInOpenState(Duration.ofDays(365))
        .writableStackTraceEnabled(false)
        .build();
    return CircuitBreaker.of(name, config);
  }
}
