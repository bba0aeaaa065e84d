package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each balancing policy's distribution, measured at real backends. */
@Timeout(60)
class LoadBalancingTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private String get(TestGateway t, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.url(path))).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  private static String config(String policy, String extra, int... ports) {
    StringBuilder eps = new StringBuilder();
    for (int p : ports) {
      eps.append("      - {url: \"http://127.0.0.1:").append(p).append("\"}\n");
    }
    return "server: {host: 127.0.0.1, port: 0}\n"
        + "admin: {host: 127.0.0.1, port: 0}\n"
        + "services:\n"
        + "  backend:\n"
        + "    loadBalancer: {policy: " + policy + extra + "}\n"
        + "    timeouts: {connect: 2s, response: 10s}\n"
        + "    endpoints:\n"
        + eps
        + "routes:\n"
        + "  - id: all\n"
        + "    match: {path: /**}\n"
        + "    service: backend\n";
  }

  @Test
  void roundRobinFollowsWeightsExactly() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      var a = t.recordingBackend("a");
      var b = t.recordingBackend("b");
      String yaml = """
          server: {host: 127.0.0.1, port: 0}
          admin: {host: 127.0.0.1, port: 0}
          services:
            backend:
              endpoints:
                - {url: "http://127.0.0.1:%d", weight: 3}
                - {url: "http://127.0.0.1:%d", weight: 1}
          routes:
            - id: all
              match: {path: /**}
              service: backend
          """.formatted(a.port, b.port);
      t.startGateway(yaml);
      Map<String, Integer> seen = new HashMap<>();
      int longestRunOfA = 0;
      int run = 0;
      for (int i = 0; i < 400; i++) {
        String who = get(t, "/rr/" + i);
        seen.merge(who, 1, Integer::sum);
        run = who.equals("a") ? run + 1 : 0;
        longestRunOfA = Math.max(longestRunOfA, run);
      }
      assertEquals(Map.of("a", 300, "b", 100), seen);
      assertTrue(longestRunOfA <= 3, "smooth: weight 3 never gives more than 3 in a row, got " + longestRunOfA);
    }
  }

  @Test
  void leastRequestSendsMoreToTheFasterEndpoint() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      var slow = t.recordingBackend("slow", 100);
      var fast = t.recordingBackend("fast", 2);
      t.startGateway(config("least-request", "", slow.port, fast.port));
      get(t, "/warmup");
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> all = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
          all.add(pool.submit(() -> {
            for (int i = 0; i < 25; i++) {
              get(t, "/lr");
            }
            return null;
          }));
        }
        for (Future<?> f : all) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      int s = slow.completed.get();
      int f = fast.completed.get();
      // Round robin would give each half; with 8 clients and a 50x slower endpoint, the power of
      // two choices keeps the slow one at a small share.
      assertTrue(f > 3 * s, "fast " + f + ", slow " + s);
    }
  }

  @Test
  void consistentHashIsStickyAndMovesOnlyTheKeysOfALostEndpoint() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      var a = t.recordingBackend("a");
      var b = t.recordingBackend("b");
      var c = t.recordingBackend("c");
      t.startGateway(config("consistent-hash", ", hashHeader: X-Patient-Id", a.port, b.port, c.port));
      Map<String, String> owner = new HashMap<>();
      Map<String, Integer> share = new HashMap<>();
      for (int k = 0; k < 300; k++) {
        String who = get(t, "/p", "X-Patient-Id", "patient-" + k);
        owner.put("patient-" + k, who);
        share.merge(who, 1, Integer::sum);
      }
      for (String s : List.of("a", "b", "c")) {
        assertTrue(share.getOrDefault(s, 0) >= 50, "each endpoint owns a fair share of 300 keys: " + share);
      }
      for (int k = 0; k < 300; k += 7) {
        assertEquals(owner.get("patient-" + k), get(t, "/p", "X-Patient-Id", "patient-" + k), "sticky");
      }
      // b's server goes away: its keys move (the retry of the refused connect goes to the next
      // endpoint on the ring), every other key stays where it was.
      t.closeBackend(b.port);
      for (int k = 0; k < 300; k++) {
        String key = "patient-" + k;
        String now = get(t, "/p", "X-Patient-Id", key);
        if (owner.get(key).equals("b")) {
          assertTrue(now.equals("a") || now.equals("c"), key + " moved to " + now);
        } else {
          assertEquals(owner.get(key), now, key + " must not move");
        }
      }
    }
  }

  @Test
  void consistentHashOnCookie() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      var a = t.recordingBackend("a");
      var b = t.recordingBackend("b");
      t.startGateway(config("consistent-hash", ", hashCookie: session", a.port, b.port));
      Map<String, Integer> share = new HashMap<>();
      for (int k = 0; k < 100; k++) {
        String cookie = "theme=dark; session=s" + k + "; lang=en";
        String first = get(t, "/c", "Cookie", cookie);
        for (int i = 0; i < 3; i++) {
          assertEquals(first, get(t, "/c", "Cookie", cookie));
        }
        share.merge(first, 1, Integer::sum);
      }
      assertTrue(share.getOrDefault("a", 0) >= 20 && share.getOrDefault("b", 0) >= 20, share.toString());
    }
  }
}
