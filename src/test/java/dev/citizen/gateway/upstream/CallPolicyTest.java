package dev.citizen.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.config.DataSize;
import dev.citizen.gateway.config.RetryConfig;
import dev.citizen.gateway.config.RouteTimeoutsConfig;
import dev.citizen.gateway.config.ServiceTimeoutsConfig;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallPolicyTest {
  private static final ServiceTimeoutsConfig SERVICE = new ServiceTimeoutsConfig(Duration.ofSeconds(1),
      Duration.ofSeconds(30));

  @Test
  void routeTimeoutsOverrideTheServiceOnesOneByOne() {
    CallPolicy p = new CallPolicy(new RouteTimeoutsConfig(null, Duration.ofMillis(500), Duration.ofSeconds(2)),
        SERVICE, RetryConfig.DEFAULT);
    assertEquals(1000, p.connectMillis());
    assertEquals(500, p.responseMillis());
    assertEquals(2000, p.totalMillis());
    assertEquals(0, CallPolicy.defaults(SERVICE).totalMillis(), "no overall deadline by default");
  }

  @Test
  void defaultsRetryIdempotentMethodsOnGatewayErrorsAndAnyMethodOnConnectFailure() {
    CallPolicy p = CallPolicy.defaults(SERVICE);
    assertTrue(p.retryable(HttpMethod.GET, CallPolicy.Failure.STATUS, 503));
    assertTrue(p.retryable(HttpMethod.PUT, CallPolicy.Failure.STATUS, 502));
    assertTrue(p.retryable(HttpMethod.DELETE, CallPolicy.Failure.STATUS, 504));
    assertFalse(p.retryable(HttpMethod.GET, CallPolicy.Failure.STATUS, 500), "500 is not in the default list");
    assertFalse(p.retryable(HttpMethod.POST, CallPolicy.Failure.STATUS, 503), "POST is not idempotent");
    assertFalse(p.retryable(HttpMethod.PATCH, CallPolicy.Failure.STATUS, 503));
    assertTrue(p.retryable(HttpMethod.POST, CallPolicy.Failure.CONNECT, 0), "the service never saw it");
    assertFalse(p.retryable(HttpMethod.GET, CallPolicy.Failure.RESET, 0), "reset is opt-in");
    assertTrue(p.mayRetry(HttpMethod.GET));
    assertFalse(p.mayRetry(HttpMethod.POST));
  }

  @Test
  void oneAttemptMeansNoRetryAtAll() {
    CallPolicy p = new CallPolicy(RouteTimeoutsConfig.DEFAULT, SERVICE,
        new RetryConfig(1, null, null, null, null, null));
    assertFalse(p.retryable(HttpMethod.GET, CallPolicy.Failure.CONNECT, 0));
    assertFalse(p.mayRetry(HttpMethod.GET));
  }

  @Test
  void configuredOutcomesAndMethods() {
    CallPolicy p = new CallPolicy(RouteTimeoutsConfig.DEFAULT, SERVICE,
        new RetryConfig(3, List.of("reset", "500"), List.of("GET", "POST"), null, null, DataSize.ofKiB(1)));
    assertTrue(p.retryable(HttpMethod.POST, CallPolicy.Failure.STATUS, 500));
    assertTrue(p.retryable(HttpMethod.GET, CallPolicy.Failure.RESET, 0));
    assertFalse(p.retryable(HttpMethod.GET, CallPolicy.Failure.STATUS, 503));
    assertFalse(p.retryable(HttpMethod.GET, CallPolicy.Failure.CONNECT, 0), "connect-failure not listed");
    assertEquals(1024, p.maxBufferedBody());
  }

  @Test
  void backoffIsFullJitterUnderADoublingCap() {
    CallPolicy p = new CallPolicy(RouteTimeoutsConfig.DEFAULT, SERVICE,
        new RetryConfig(5, null, null, Duration.ofMillis(20), Duration.ofMillis(50), null));
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      long first = p.backoffMillis(1);
      long second = p.backoffMillis(2);
      long fourth = p.backoffMillis(4);
      assertTrue(first >= 0 && first <= 20, "first retry waits up to backoff: " + first);
      assertTrue(second >= 0 && second <= 40, "second up to 2x: " + second);
      assertTrue(fourth >= 0 && fourth <= 50, "capped at maxBackoff: " + fourth);
      seen.add(first);
    }
    assertTrue(seen.size() > 15, "jittered, not fixed: " + seen);
  }
}
