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
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Canary and blue-green through the public and admin ports: the weighted split, pinning by header,
 * and the admin API (weights, promote, rollback, its errors), with two real backends that answer
 * with their version's name.
 */
@Timeout(60)
class CanaryTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  @AutoClose
  private TestGateway t;
  @AutoClose
  private LogCapture logs;
  private int stablePort;
  private int canaryPort;

  @BeforeEach
  void start() throws Exception {
    logs = LogCapture.of("dev.citizen.gateway.upstream.Service", "dev.citizen.gateway.server.ConfigReloader");
    t = TestGateway.create();
    stablePort = t.httpBackend(req -> req.response().end("stable"));
    canaryPort = t.httpBackend(req -> req.response().end("canary"));
    t.startGateway(config(90, 10, "5s"));
  }

  private String config(int stableWeight, int canaryWeight, String responseTimeout) {
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
          patients:
            versions:
              stable: {weight: %d, endpoints: [{url: "http://127.0.0.1:%d"}]}
              canary: {weight: %d, endpoints: [{url: "http://127.0.0.1:%d"}]}
            versionHeader: X-Canary
            timeouts: {connect: 1s, response: %s}
        routes:
          - {id: patients, match: {path: /**}, service: patients}
        """.formatted(stableWeight, stablePort, canaryWeight, canaryPort, responseTimeout);
  }

  /** Sends {@code n} GETs (with header {@code X-Canary: pin} unless null); counts answers by version. */
  private Map<String, Integer> split(int n, String pin) throws Exception {
    Map<String, Integer> seen = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.url("/api/patients/" + i)))
          .timeout(Duration.ofSeconds(10));
      if (pin != null) {
        b.header("X-Canary", pin);
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      seen.merge(r.body(), 1, Integer::sum);
    }
    return seen;
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.adminPort() + path))
        .timeout(Duration.ofSeconds(5)).header("Authorization", AdminApi.AUTHORIZATION);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A 200 admin answer: JSON with every version's weight, configured weight and primary flag. */
  private static JsonObject ok(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.body());
    JsonObject json = new JsonObject(r.body());
    assertEquals("patients", json.getString("service"), r.body());
    return json.getJsonObject("versions");
  }

  private static int weight(JsonObject versions, String version) {
    return versions.getJsonObject(version).getInteger("weight");
  }

  /**
   * Binomial, n = 1000, p = 0.1: standard deviation 9.5 requests; the tolerance, ±45 requests
   * (4.5 points of share), is 4.7 of them, so a correct split fails it about once in 300 000 runs.
   */
  @Test
  void weightedSplitFollowsTheWeights() throws Exception {
    Map<String, Integer> seen = split(1000, null);
    int canary = seen.getOrDefault("canary", 0);
    System.out.println("90/10 split over 1000 requests: " + seen);
    assertEquals(1000, seen.getOrDefault("stable", 0) + canary, seen::toString);
    assertTrue(canary >= 55 && canary <= 145, "canary got " + canary + " of 1000 (expected 100 ± 45)");
  }

  @Test
  void versionHeaderPinsARequestEvenToAVersionAtWeightZero() throws Exception {
    assertEquals(Map.of("canary", 30), split(30, "canary"));
    assertEquals(Map.of("stable", 30), split(30, "stable"));
    assertEquals(0, weight(ok(admin("PUT", "/admin/services/patients/weights", "{\"canary\": 0}")), "canary"));
    assertEquals(Map.of("stable", 50), split(50, null), "weight 0: no unpinned request reaches the canary");
    assertEquals(Map.of("canary", 30), split(30, "canary"), "a tester still reaches it by header");
    // A header naming no version is not an error: the request is drawn by weight.
    assertEquals(Map.of("stable", 20), split(20, "no-such-version"));
  }

  /** Binomial, n = 1000, p = 0.5: standard deviation 15.8; tolerance ±75 (4.7 of them). */
  @Test
  void adminWeightsShiftTheSplit() throws Exception {
    JsonObject v = ok(admin("PUT", "/admin/services/patients/weights", "{\"stable\": 50, \"canary\": 50}"));
    assertEquals(50, weight(v, "stable"));
    assertEquals(50, weight(v, "canary"));
    assertEquals(90, v.getJsonObject("stable").getInteger("configuredWeight"));
    assertEquals(10, v.getJsonObject("canary").getInteger("configuredWeight"));
    assertEquals(true, v.getJsonObject("stable").getBoolean("primary"));
    assertEquals(false, v.getJsonObject("canary").getBoolean("primary"));
    assertNotNull(logs.await(2000, l -> l.message().contains("weights {stable=90, canary=10} -> "
        + "{stable=50, canary=50} (admin: weights)")), "the change is logged");
    Map<String, Integer> seen = split(1000, null);
    int canary = seen.getOrDefault("canary", 0);
    System.out.println("50/50 split over 1000 requests after the admin change: " + seen);
    assertTrue(canary >= 425 && canary <= 575, "canary got " + canary + " of 1000 (expected 500 ± 75)");
  }

  @Test
  void promoteThenRollback() throws Exception {
    JsonObject v = ok(admin("POST", "/admin/services/patients/promote", "{\"version\": \"canary\"}"));
    assertEquals(0, weight(v, "stable"));
    assertEquals(100, weight(v, "canary"));
    assertEquals(Map.of("canary", 200), split(200, null));
    v = ok(admin("POST", "/admin/services/patients/rollback", null));
    // The primary had 0 after the promotion: it gets its file weight back.
    assertEquals(90, weight(v, "stable"));
    assertEquals(0, weight(v, "canary"));
    assertEquals(Map.of("stable", 200), split(200, null));
  }

  /**
   * The file's weights are the reference: weights set through the admin API survive a reload
   * that leaves them as they were, and give way to the file's when it changes them.
   */
  @Test
  void adminWeightsSurviveAReloadUnlessTheFileChangesTheWeights() throws Exception {
    ok(admin("POST", "/admin/services/patients/promote", "{\"version\": \"canary\"}"));
    assertEquals(Map.of("canary", 50), split(50, null));

    // Changes, but not of the weights: a timeout and the rollback settings.
    t.rewriteConfig(config(90, 10, "6s").replace("versionHeader: X-Canary", "versionHeader: X-Canary\n"
        + "    rollback: {errorRate: 30}"));
    assertNotNull(logs.awaitCount(5000, 1, l -> l.message().startsWith("config reloaded")), "reload 1");
    assertEquals(Map.of("canary", 50), split(50, null), "the promotion survived the reload");

    // The file changes the canary's weight only: every version goes back to the file's, the
    // stable one too (keeping its admin 0 next to the file's new canary 0 would leave no weight).
    t.rewriteConfig(config(90, 0, "6s"));
    assertNotNull(logs.awaitCount(5000, 2, l -> l.message().startsWith("config reloaded")), "reload 2");
    assertEquals(Map.of("stable", 50), split(50, null), "the file's new weights apply");
    JsonObject v = ok(admin("PUT", "/admin/services/patients/weights", "{\"stable\": 90}"));
    assertEquals(90, weight(v, "stable"));
    assertEquals(0, weight(v, "canary"));
  }

  @Test
  void badRequestsAnswer4xxAndChangeNothing() throws Exception {
    String weights = "/admin/services/patients/weights";
    assertProblem(admin("PUT", weights, "{\"stable\": 50,"), 400, "invalid_json");
    assertProblem(admin("PUT", weights, "[50, 50]"), 400, "invalid_json");
    assertProblem(admin("PUT", weights, null), 400, "invalid_json");
    assertProblem(admin("PUT", weights, "{}"), 400, "invalid_weights");
    assertProblem(admin("PUT", weights, "{\"stable\": 0, \"blue\": 50}"), 400, "unknown_version");
    assertProblem(admin("PUT", weights, "{\"stable\": 0, \"canary\": 1001}"), 400, "invalid_weights");
    assertProblem(admin("PUT", weights, "{\"stable\": 0, \"canary\": -1}"), 400, "invalid_weights");
    assertProblem(admin("PUT", weights, "{\"stable\": 0, \"canary\": 0}"), 400, "invalid_weights");
    assertProblem(admin("PUT", weights, "{\"stable\": 0, \"canary\": 12345678901}"), 400, "invalid_weights");
    assertProblem(admin("PUT", weights, "{\"stable\": 0, \"canary\": 50.5}"), 400, "invalid_weights");
    assertProblem(admin("PUT", weights, "{\"stable\": 0, \"canary\": \"50\"}"), 400, "invalid_weights");
    assertProblem(admin("PUT", weights, "{\"stable\": 0, \"canary\": null}"), 400, "invalid_weights");
    String promote = "/admin/services/patients/promote";
    assertProblem(admin("POST", promote, "{\"version\": \"blue\"}"), 400, "unknown_version");
    assertProblem(admin("POST", promote, "{\"version\": 1}"), 400, "invalid_json");
    assertProblem(admin("POST", promote, "{}"), 400, "invalid_json");
    assertProblem(admin("POST", promote, "{\"version\": \"canary\", \"force\": true}"), 400, "invalid_json");

    assertProblem(admin("PUT", "/admin/services/billing/weights", "{\"a\": 1}"), 404, "unknown_service");
    assertProblem(admin("POST", "/admin/services/billing/rollback", null), 404, "unknown_service");
    assertProblem(admin("POST", "/admin/services/patients/explode", null), 404, "not_found");
    assertProblem(admin("POST", "/admin/services/patients/weights/x", null), 404, "not_found");

    HttpResponse<String> r = admin("GET", weights, null);
    assertProblem(r, 405, "method_not_allowed");
    assertEquals("PUT", r.headers().firstValue("Allow").orElse(null));
    r = admin("POST", weights, "{\"canary\": 50}");
    assertProblem(r, 405, "method_not_allowed");
    assertEquals("PUT", r.headers().firstValue("Allow").orElse(null));
    r = admin("PUT", promote, "{\"version\": \"canary\"}");
    assertProblem(r, 405, "method_not_allowed");
    assertEquals("POST", r.headers().firstValue("Allow").orElse(null));
    r = admin("DELETE", "/admin/services/patients/rollback", null);
    assertProblem(r, 405, "method_not_allowed");
    assertEquals("POST", r.headers().firstValue("Allow").orElse(null));

    // Over 64 KiB: refused by its Content-Length before it is read ...
    String big = RawHttp.exchange(t.adminPort(), "PUT " + weights + " HTTP/1.1\r\nHost: a\r\n"
        + "Authorization: " + AdminApi.AUTHORIZATION + "\r\nContent-Type: application/json\r\nContent-Length: 70000\r\n\r\n", 5000);
    assertEquals(413, RawHttp.statusOf(big), big);
    assertTrue(big.contains("\"code\":\"body_too_large\""), big);
    // ... or, chunked, once it grows past the limit; either way the connection is closed.
    try (RawHttp c = new RawHttp(t.adminPort())) {
      c.send("PUT " + weights + " HTTP/1.1\r\nHost: a\r\nAuthorization: " + AdminApi.AUTHORIZATION
          + "\r\nTransfer-Encoding: chunked\r\n\r\n");
      String chunk = "{\"stable\": 50" + " ".repeat(8000);
      for (int i = 0; i < 9; i++) {
        c.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
      }
      String all = c.readUntilClose(5000);
      assertEquals(413, RawHttp.statusOf(all), all);
      assertTrue(!all.endsWith("<<timeout>>"), "connection left open: " + all);
    }

    assertTrue(logs.matching(l -> l.message().contains("(admin:")).isEmpty(),
        () -> "a refused request changed weights: " + logs.lines);
    assertEquals(Map.of("stable", 20), split(20, "stable")); // the gateway serves on
    JsonObject v = ok(admin("PUT", weights, "{\"stable\": 90}")); // the one change here: a no-op
    assertEquals(90, weight(v, "stable"));
    assertEquals(10, weight(v, "canary"), "no refused request changed the canary");
  }

  /** An RFC 9457 problem with this status and code, and the request id. */
  private static void assertProblem(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(null), r.body());
    JsonObject p = new JsonObject(r.body());
    assertEquals(status, p.getInteger("status"), r.body());
    assertEquals(code, p.getString("code"), r.body());
    assertEquals(r.headers().firstValue("X-Request-Id").orElse(null), p.getString("requestId"), r.body());
  }
}
