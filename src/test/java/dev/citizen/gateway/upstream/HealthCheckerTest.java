package dev.citizen.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** The threshold logic of active health checks, without a network. */
class HealthCheckerTest {
  private final Endpoint e = Endpoint.of("http://127.0.0.1:9001");

  /** Feeds results with unhealthyThreshold 3, healthyThreshold 2; returns how many flipped health. */
  private int feed(String results) {
    int flips = 0;
    for (char c : results.toCharArray()) {
      if (HealthChecker.count(e, c == '+', 2, 3)) {
        flips++;
      }
    }
    return flips;
  }

  @Test
  void takenOutAfterUnhealthyThresholdFailuresInARow() {
    assertTrue(e.healthy(), "endpoints start healthy");
    assertEquals(0, feed("--"));
    assertTrue(e.healthy());
    assertEquals(1, feed("-"));
    assertFalse(e.healthy());
    assertEquals("unhealthy", e.state(System.nanoTime()));
    assertFalse(e.available(System.nanoTime()));
    assertEquals(0, feed("-----"), "more failures change nothing");
  }

  @Test
  void aSuccessBreaksARowOfFailures() {
    assertEquals(0, feed("--+--+--"));
    assertTrue(e.healthy());
  }

  @Test
  void putBackAfterHealthyThresholdSuccessesInARow() {
    feed("---");
    assertEquals(0, feed("+-+-+"), "no two successes in a row");
    assertFalse(e.healthy());
    assertEquals(1, feed("+"));
    assertTrue(e.healthy());
    assertTrue(e.available(System.nanoTime()));
    assertEquals(0, feed("++++"));
  }

  @Test
  void thresholdOfOneFlipsOnEveryChange() {
    int flips = 0;
    for (boolean ok : new boolean[] {false, false, true, true, false}) {
      if (HealthChecker.count(e, ok, 1, 1)) {
        flips++;
      }
    }
    assertEquals(3, flips);
    assertFalse(e.healthy());
  }

  @Test
  void failuresAreDescribedShortly() {
    assertEquals("connect refused", HealthChecker.describe(new ConnectException("Connection refused: /127.0.0.1:1")));
    assertEquals("connection closed", HealthChecker.describe(new HttpClosedException("Connection was closed")));
    assertEquals("x".repeat(120), HealthChecker.describe(new RuntimeException("x".repeat(500))));
  }
}
