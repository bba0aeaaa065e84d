package dev.citizen.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.config.OutlierDetectionConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Outlier detection driven by a fake clock: counting, ejection lengths, the ejection cap. */
class OutlierDetectorTest {
  private static final long MS = 1_000_000;
  private final Endpoint a = Endpoint.of("http://127.0.0.1:9001");
  private final Endpoint b = Endpoint.of("http://127.0.0.1:9002");
  private final long t0 = System.nanoTime(); // endpoints count as "ejected until their creation"

  private static OutlierDetector detector(int failures, int maxPercent, Endpoint... endpoints) {
    return new OutlierDetector("svc", new OutlierDetectionConfig(true, failures, Duration.ofMillis(500),
        Duration.ofSeconds(4), maxPercent), endpoints, () -> { });
  }

  private static void fail(OutlierDetector d, Endpoint e, int times, long now) {
    for (int i = 0; i < times; i++) {
      d.failure(e, now);
    }
  }

  @Test
  void ejectsAfterConsecutiveFailuresForTheBaseTime() {
    OutlierDetector d = detector(3, 50, a, b);
    fail(d, a, 2, t0);
    assertTrue(a.available(t0));
    d.failure(a, t0);
    assertFalse(a.available(t0), "3rd failure in a row ejects");
    assertEquals("ejected", a.state(t0));
    assertEquals(500, a.ejectedForMillis(t0));
    assertEquals(1, a.ejections());
    assertEquals(0, a.consecutiveFailures(), "the count starts again after an ejection");
    assertFalse(a.available(t0 + 499 * MS));
    assertTrue(a.available(t0 + 500 * MS));
    assertTrue(b.available(t0));
  }

  @Test
  void aSuccessBreaksTheRow() {
    OutlierDetector d = detector(3, 50, a, b);
    fail(d, a, 2, t0);
    d.success(a);
    fail(d, a, 2, t0);
    assertTrue(a.available(t0));
    d.failure(a, t0);
    assertFalse(a.available(t0));
  }

  @Test
  void ejectionsSoonAfterEachOtherDoubleUpToTheMaximum() {
    OutlierDetector d = detector(1, 50, a, b);
    long now = t0;
    long[] expected = {500, 1000, 2000, 4000, 4000};
    for (int i = 0; i < expected.length; i++) {
      d.failure(a, now);
      assertEquals(expected[i], a.ejectedForMillis(now), "ejection " + (i + 1));
      assertEquals(i + 1, a.ejections());
      now += expected[i] * MS + 100 * MS; // fails again 100 ms after coming back
    }
  }

  @Test
  void anEndpointThatStayedInForTheMaximumStartsAgainFromTheBase() {
    OutlierDetector d = detector(1, 50, a, b);
    d.failure(a, t0);
    d.failure(a, t0 + 600 * MS);
    assertEquals(1000, a.ejectedForMillis(t0 + 600 * MS));
    long back = t0 + 1600 * MS;
    d.failure(a, back + 4001 * MS); // in for more than maxEjectionTime (4s)
    assertEquals(500, a.ejectedForMillis(back + 4001 * MS));
    assertEquals(1, a.ejections());
  }

  @Test
  void failuresOfRequestsSentBeforeTheEjectionDoNotCount() {
    OutlierDetector d = detector(3, 50, a, b);
    fail(d, a, 3, t0);
    fail(d, a, 2, t0 + 100 * MS); // in flight when it was ejected
    assertEquals(0, a.consecutiveFailures());
    long back = t0 + 500 * MS;
    fail(d, a, 2, back);
    assertTrue(a.available(back), "back with the full count to go");
    d.failure(a, back);
    assertFalse(a.available(back));
  }

  @Test
  void maxEjectionPercentKeepsHalfOfTwoEndpointsIn() {
    OutlierDetector d = detector(2, 50, a, b);
    fail(d, a, 2, t0);
    fail(d, b, 2, t0);
    assertFalse(a.available(t0));
    assertTrue(b.available(t0), "50% of 2 endpoints: one may be ejected");
    assertEquals(0, b.consecutiveFailures(), "refused ejection starts the count again");
    // Once a is back, b may go.
    long later = t0 + 500 * MS;
    fail(d, b, 2, later);
    assertFalse(b.available(later));
    assertTrue(a.available(later));
  }

  @Test
  void maxEjectionPercentRoundsDownSoAnOnlyEndpointStaysIn() {
    OutlierDetector none = detector(1, 0, a, b);
    fail(none, a, 5, t0);
    assertTrue(a.available(t0));
    OutlierDetector single = detector(1, 50, b); // 50% of 1 is 0: the breaker speaks for the service
    fail(single, b, 5, t0);
    assertTrue(b.available(t0));
    OutlierDetector all = detector(1, 100, b);
    all.failure(b, t0);
    assertFalse(b.available(t0), "100% may eject the only endpoint");
  }

  @Test
  void disabledNeverCountsNorEjects() {
    OutlierDetector d = new OutlierDetector("svc", new OutlierDetectionConfig(false, 1, null, null, 100),
        new Endpoint[] {a}, () -> { });
    fail(d, a, 10, t0);
    assertTrue(a.available(t0));
    assertEquals(0, a.consecutiveFailures());
  }

  @Test
  void longEjectionTimesDoNotOverflow() {
    OutlierDetector d = new OutlierDetector("svc", new OutlierDetectionConfig(true, 1, Duration.ofDays(1),
        Duration.ofDays(10_000), 100), new Endpoint[] {a}, () -> { });
    assertEquals(Duration.ofDays(1).toNanos(), d.duration(1));
    assertEquals(Duration.ofDays(8).toNanos(), d.duration(4));
    assertEquals(Duration.ofDays(10_000).toNanos(), d.duration(40));
    assertEquals(Duration.ofDays(10_000).toNanos(), d.duration(Integer.MAX_VALUE));
  }
}
