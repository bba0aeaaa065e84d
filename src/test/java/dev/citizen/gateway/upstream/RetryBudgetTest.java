package dev.citizen.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.config.RetryBudgetConfig;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private static final long SECOND = 1_000_000_000L;

  private static int retriesAllowed(RetryBudget b, long now, int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      if (b.tryRetry(now)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void retriesAreAShareOfRequests() {
    RetryBudget b = new RetryBudget(new RetryBudgetConfig(20, 0));
    long now = 100 * SECOND;
    for (int i = 0; i < 100; i++) {
      b.request(now);
    }
    assertEquals(20, retriesAllowed(b, now, 50));
  }

  @Test
  void reserveLetsAQuietServiceRetry() {
    RetryBudget b = new RetryBudget(new RetryBudgetConfig(20, 1));
    assertEquals(10, retriesAllowed(b, 100 * SECOND, 50), "1 per second over the 10 s window");
  }

  @Test
  void oldTrafficLeavesTheWindow() {
    RetryBudget b = new RetryBudget(new RetryBudgetConfig(50, 0));
    long t0 = 100 * SECOND;
    for (int i = 0; i < 100; i++) {
      b.request(t0);
    }
    assertEquals(50, retriesAllowed(b, t0, 100));
    assertFalse(b.tryRetry(t0 + 5 * SECOND), "still inside the window");
    assertFalse(b.tryRetry(t0 + 11 * SECOND), "the requests left the window too");
    b.request(t0 + 11 * SECOND);
    b.request(t0 + 11 * SECOND);
    assertTrue(b.tryRetry(t0 + 11 * SECOND));
  }
}
