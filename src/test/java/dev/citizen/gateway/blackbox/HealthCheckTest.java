package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Active health checks against real backends: an endpoint whose checks fail is out of rotation
 * within interval × unhealthyThreshold and back after healthyThreshold successes; with every
 * endpoint out the gateway answers 503 at once and readiness with services turns down.
 */
@Timeout(60)
class HealthCheckTest {
  static final long INTERVAL = 200;
  static final int THRESHOLD = 2; // both ways
  /** Allowed on top of interval × threshold for timer and thread scheduling on a loaded machine. */
  static final long MARGIN = 300;
  static final long BOUND = INTERVAL * THRESHOLD + MARGIN;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static String config(ControlledBackend... backends) {
    return config("500ms", backends);
  }

  static String config(String checkTimeout, ControlledBackend... backends) {
    StringBuilder eps = new StringBuilder();
    for (ControlledBackend b : backends) {
      eps.append(eps.isEmpty() ? "" : ", ").append("{url: \"").append(b.url()).append("\"}");
    }
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
          backend:
            endpoints: [%s]
            timeouts: {connect: 1s, response: 5s}
            healthCheck: {path: /health, interval: %dms, timeout: %s, unhealthyThreshold: %d, healthyThreshold: %d}
            outlierDetection: {enabled: false}
            circuitBreaker: {enabled: false}
        routes:
          - id: all
            match: {path: /**}
            service: backend
            retries: {attempts: 1}
        """.formatted(eps, INTERVAL, checkTimeout, THRESHOLD, THRESHOLD);
  }

  private HttpResponse<String> get(TestGateway t, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(t.url(path))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Milliseconds until {@code condition} holds, polled every 10 ms; fails after 5 s. */
  static long millisUntil(String what, BooleanSupplier condition) throws InterruptedException {
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() - start < 5_000_000_000L, what + " within 5 s");
      Thread.sleep(10);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("[timing] " + what + ": " + millis + " ms");
    return millis;
  }

  private static boolean state(TestGateway t, ControlledBackend b, String state) {
    return AdminApi.state(t.adminPort(), "backend", b.url()).equals(state);
  }

  /** Waits until both endpoints have passed a check, so the timings below start from a steady state. */
  private static void awaitChecked(TestGateway t, ControlledBackend... backends) throws Exception {
    for (ControlledBackend b : backends) {
      assertTrue(TestGateway.eventually(5000, () -> AdminApi.endpoint(t.adminPort(), "backend", b.url())
          .getString("lastCheck").matches("200 in \\d+ ms")), b.name + " checked");
    }
  }

  /** Sends n requests; returns how many were answered by {@code from} (each must be a 200). */
  private int countAnswersFrom(TestGateway t, ControlledBackend from, int n) throws Exception {
    int count = 0;
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = get(t, "/x");
      assertEquals(200, r.statusCode(), r.body());
      if (from.name.equals(r.headers().firstValue("X-Backend").orElse(""))) {
        count++;
      }
    }
    return count;
  }

  @Test
  void failingChecksTakeAnEndpointOutWithinIntervalTimesThresholdAndSuccessesPutItBack() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      ControlledBackend a = ControlledBackend.start(t.backendVertx, "a");
      ControlledBackend b = ControlledBackend.start(t.backendVertx, "b");
      t.startGateway(config(a, b));
      awaitChecked(t, a, b);
      assertEquals("citizen-gateway-health-check", a.healthUserAgent);
      assertEquals("127.0.0.1:" + a.port, a.healthHost);
      assertEquals(5, countAnswersFrom(t, a, 10), "round robin over both while healthy");

      a.failHealth = true;
      long out = millisUntil("503 health checks -> unhealthy", () -> state(t, a, "unhealthy"));
      assertTrue(out <= BOUND, "out after " + out + " ms (bound " + BOUND + ")");
      // Two failures in a row are needed, and checks are an interval apart.
      assertTrue(out >= INTERVAL / 2, "out after only " + out + " ms: one failure was enough?");
      int before = a.traffic.get();
      assertEquals(0, countAnswersFrom(t, a, 20));
      assertEquals(before, a.traffic.get(), "no traffic to an unhealthy endpoint");
      JsonObject ep = AdminApi.endpoint(t.adminPort(), "backend", a.url());
      assertEquals(false, ep.getBoolean("healthy"));
      assertTrue(ep.getString("lastCheck").matches("503 in \\d+ ms"), ep.encode());
      assertTrue(AdminApi.services(t.adminPort()).getJsonObject("backend").getBoolean("available"));

      a.failHealth = false;
      long back = millisUntil("200 health checks -> healthy", () -> state(t, a, "healthy"));
      assertTrue(back <= BOUND, "back after " + back + " ms (bound " + BOUND + ")");
      assertTrue(back >= INTERVAL / 2, "back after only " + back + " ms: one success was enough?");
      assertEquals(5, countAnswersFrom(t, a, 10), "traffic returns");
    }
  }

  @Test
  void aDeadEndpointIsTakenOutAndComesBackOnTheSamePort() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      ControlledBackend a = ControlledBackend.start(t.backendVertx, "a");
      ControlledBackend b = ControlledBackend.start(t.backendVertx, "b");
      t.startGateway(config(a, b));
      awaitChecked(t, a, b);

      a.kill();
      long out = millisUntil("server closed -> unhealthy", () -> state(t, a, "unhealthy"));
      assertTrue(out <= BOUND, "out after " + out + " ms (bound " + BOUND + ")");
      assertEquals("connect refused", AdminApi.endpoint(t.adminPort(), "backend", a.url()).getString("lastCheck"));
      assertEquals(0, countAnswersFrom(t, a, 20), "every request answered by b, none refused");

      a.revive();
      long back = millisUntil("server back -> healthy", () -> state(t, a, "healthy"));
      assertTrue(back <= BOUND, "back after " + back + " ms (bound " + BOUND + ")");
      int before = a.traffic.get();
      assertEquals(5, countAnswersFrom(t, a, 10));
      assertEquals(before + 5, a.traffic.get());
    }
  }

  @Test
  void aCheckSlowerThanItsTimeoutFails() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      ControlledBackend a = ControlledBackend.start(t.backendVertx, "a");
      ControlledBackend b = ControlledBackend.start(t.backendVertx, "b");
      t.startGateway(config("150ms", a, b));
      awaitChecked(t, a, b);
      a.healthDelayMillis = 2000;
      // The last failing check ends when its timeout does, so the timeout adds to the bound.
      long out = millisUntil("slow health checks -> unhealthy", () -> state(t, a, "unhealthy"));
      assertTrue(out <= INTERVAL * THRESHOLD + 150 + MARGIN, "out after " + out + " ms");
      assertEquals("timeout after 150 ms", AdminApi.endpoint(t.adminPort(), "backend", a.url()).getString("lastCheck"));
      assertEquals(0, countAnswersFrom(t, a, 10));
    }
  }

  @Test
  void withEveryEndpointUnhealthyTheGatewayAnswers503AtOnceAndReadinessTurnsDown() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      ControlledBackend a = ControlledBackend.start(t.backendVertx, "a");
      ControlledBackend b = ControlledBackend.start(t.backendVertx, "b");
      t.startGateway(config(a, b));
      awaitChecked(t, a, b);
      assertEquals(200, AdminApi.get(t.adminPort(), "/health/ready?services=true").statusCode());

      a.failHealth = true;
      b.failHealth = true;
      millisUntil("both unhealthy", () -> state(t, a, "unhealthy") && state(t, b, "unhealthy"));
      int trafficBefore = a.traffic.get() + b.traffic.get();
      get(t, "/warmup");
      long start = System.nanoTime();
      HttpResponse<String> r = get(t, "/x");
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.println("[timing] 503 with no endpoint: " + millis + " ms");
      assertEquals(503, r.statusCode(), r.body());
      assertTrue(millis < 500, "503 took " + millis + " ms");
      assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(null));
      assertNotNull(r.headers().firstValue("Retry-After").orElse(null), r.headers().map().toString());
      JsonObject problem = new JsonObject(r.body());
      assertEquals(503, problem.getInteger("status"));
      assertEquals("no_endpoint", problem.getString("code"));
      assertEquals(trafficBefore, a.traffic.get() + b.traffic.get(), "nothing reached a service");

      HttpResponse<String> ready = AdminApi.get(t.adminPort(), "/health/ready?services=true");
      assertEquals(503, ready.statusCode());
      JsonObject body = new JsonObject(ready.body());
      assertEquals("DOWN", body.getString("status"));
      assertEquals(java.util.List.of("backend"), body.getJsonArray("unavailable").getList());
      assertEquals(200, AdminApi.get(t.adminPort(), "/health/ready").statusCode(),
          "without services=true readiness is about the gateway itself");
      assertEquals(false, AdminApi.services(t.adminPort()).getJsonObject("backend").getBoolean("available"));

      b.failHealth = false;
      millisUntil("b healthy", () -> state(t, b, "healthy"));
      assertEquals(200, AdminApi.get(t.adminPort(), "/health/ready?services=true").statusCode());
      assertEquals(200, get(t, "/x").statusCode());
    }
  }
}
