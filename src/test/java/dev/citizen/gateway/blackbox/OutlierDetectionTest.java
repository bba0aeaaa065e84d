package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Passive outlier detection against real backends: consecutive 5xx answers or connection failures
 * eject an endpoint for baseEjectionTime, the next ejection soon after lasts twice as long, and
 * maxEjectionPercent keeps part of the service in. The circuit breaker and retries are off, so
 * every client request is exactly one attempt and nothing else reacts to the failures.
 */
@Timeout(60)
class OutlierDetectionTest {
  static final int FAILURES = 3;
  static final long BASE = 500;
  /** Allowed after the ejection's end for the next request to reach the endpoint on a loaded machine. */
  static final long MARGIN = 300;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static String config(ControlledBackend a, ControlledBackend b) {
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
          backend:
            endpoints: [{url: "%s"}, {url: "%s"}]
            timeouts: {connect: 1s, response: 5s}
            outlierDetection:
              {consecutiveFailures: %d, baseEjectionTime: %dms, maxEjectionTime: 10s, maxEjectionPercent: 50}
            circuitBreaker: {enabled: false}
        routes:
          - id: all
            match: {path: /**}
            service: backend
            retries: {attempts: 1}
        """.formatted(a.url(), b.url(), FAILURES, BASE);
  }

  private HttpResponse<String> get(TestGateway t) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(t.url("/x"))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends requests until {@link #FAILURES} of them failed (any answer not a 200 from {@code good}):
   * the gateway ejected the failing endpoint before it answered the last one. Returns that moment.
   */
  private long failUntilEjected(TestGateway t, ControlledBackend good) throws Exception {
    int failed = 0;
    for (int i = 0; i < 4 * FAILURES && failed < FAILURES; i++) {
      HttpResponse<String> r = get(t);
      if (r.statusCode() != 200 || !good.name.equals(r.headers().firstValue("X-Backend").orElse(""))) {
        assertTrue(r.statusCode() >= 500, r.statusCode() + " " + r.body());
        failed++;
      }
    }
    assertEquals(FAILURES, failed, "round robin sends every other request to the failing endpoint");
    return System.nanoTime();
  }

  /** Sends a request every 10 ms until {@code back} answers one; all others must be 200s from {@code good}. */
  private long millisUntilBack(TestGateway t, long since, ControlledBackend back, ControlledBackend good, String what)
      throws Exception {
    while (true) {
      HttpResponse<String> r = get(t);
      assertEquals(200, r.statusCode(), r.body());
      String from = r.headers().firstValue("X-Backend").orElse("");
      if (from.equals(back.name)) {
        long millis = (System.nanoTime() - since) / 1_000_000;
        System.out.println("[timing] " + what + ": " + millis + " ms");
        return millis;
      }
      assertEquals(good.name, from, "while one endpoint is ejected all traffic goes to the other");
      assertTrue(System.nanoTime() - since < 10_000_000_000L, what + ": never came back");
      Thread.sleep(10);
    }
  }

  private static JsonObject endpoint(TestGateway t, ControlledBackend b) {
    return AdminApi.endpoint(t.adminPort(), "backend", b.url());
  }

  @Test
  void consecutive5xxEjectForTheBaseTimeAndTheNextEjectionSoonAfterLastsTwiceAsLong() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      ControlledBackend a = ControlledBackend.start(t.backendVertx, "a");
      ControlledBackend b = ControlledBackend.start(t.backendVertx, "b");
      t.startGateway(config(a, b));

      a.status = 500;
      long ejected = failUntilEjected(t, b);
      JsonObject ep = endpoint(t, a);
      assertEquals("ejected", ep.getString("state"), ep.encode());
      assertEquals(1, ep.getInteger("ejections"));
      assertTrue(ep.getLong("ejectedForMillis") > 0 && ep.getLong("ejectedForMillis") <= BASE, ep.encode());
      a.status = 200; // so the first request after the ejection succeeds
      long first = millisUntilBack(t, ejected, a, b, "first ejection (base " + BASE + " ms)");
      assertTrue(first >= BASE - 50 && first <= BASE + MARGIN, "back after " + first + " ms");

      a.status = 503;
      ejected = failUntilEjected(t, b);
      ep = endpoint(t, a);
      assertEquals(2, ep.getInteger("ejections"), ep.encode());
      assertTrue(ep.getLong("ejectedForMillis") > BASE, ep.encode());
      a.status = 200;
      long second = millisUntilBack(t, ejected, a, b, "second ejection (2 x base)");
      assertTrue(second >= 2 * BASE - 50 && second <= 2 * BASE + MARGIN, "back after " + second + " ms");
      assertEquals("healthy", endpoint(t, a).getString("state"));
    }
  }

  @Test
  void connectionFailuresEjectToo() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      ControlledBackend a = ControlledBackend.start(t.backendVertx, "a");
      ControlledBackend b = ControlledBackend.start(t.backendVertx, "b");
      t.startGateway(config(a, b));
      assertEquals(200, get(t).statusCode());

      a.kill(); // refused: the gateway answers 502 for the requests that go to a
      long ejected = failUntilEjected(t, b);
      assertEquals("ejected", endpoint(t, a).getString("state"));
      a.revive();
      long back = millisUntilBack(t, ejected, a, b, "ejection after connection failures");
      assertTrue(back >= BASE - 50 && back <= BASE + MARGIN, "back after " + back + " ms");
    }
  }

  @Test
  void maxEjectionPercentKeepsOneOfTwoFailingEndpointsIn() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      ControlledBackend a = ControlledBackend.start(t.backendVertx, "a");
      ControlledBackend b = ControlledBackend.start(t.backendVertx, "b");
      t.startGateway(config(a, b));
      a.status = 500;
      b.status = 500;
      int maxEjected = 0;
      for (int i = 0; i < 6 * FAILURES; i++) {
        HttpResponse<String> r = get(t);
        assertEquals(500, r.statusCode(), "an endpoint always stays to answer: " + r.body());
        int ejected = 0;
        for (ControlledBackend x : new ControlledBackend[] {a, b}) {
          if (endpoint(t, x).getBoolean("ejected")) {
            ejected++;
          }
        }
        maxEjected = Math.max(maxEjected, ejected);
      }
      assertEquals(1, maxEjected, "50% of 2 endpoints: exactly one ejected at a time");
      assertEquals("DISABLED", AdminApi.services(t.adminPort()).getJsonObject("backend")
          .getJsonObject("circuitBreaker").getString("state"));
    }
  }
}
