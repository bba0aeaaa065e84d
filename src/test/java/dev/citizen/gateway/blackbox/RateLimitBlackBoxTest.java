package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rate limits on the real gateway: the exact boundary and Retry-After, the RateLimit headers,
 * buckets per header value, one budget across all event loops, and buckets kept over a reload.
 */
@Timeout(60)
class RateLimitBlackBoxTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  @AutoClose
  private TestGateway t;
  private TestGateway.RecordingBackend backend;

  @BeforeEach
  void start() throws Exception {
    t = TestGateway.create();
    backend = t.recordingBackend("b");
    t.startGateway(config("5", ""));
  }

  /**
   * Route /five/** limited to 5 per 5 s, /kept/** to {@code keptRequests} per 10 min (slow enough
   * that no token comes back during a reload), /tenant/** keyed by X-Client, /pool/**, /open/**,
   * plus extra routes.
   */
  private String config(String keptRequests, String extraRoutes) {
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
        %s
        routes:
          - {id: five, match: {path: /five/**}, service: b, rateLimit: {requests: 5, per: 5s}}
          - {id: kept, match: {path: /kept/**}, service: b, rateLimit: {requests: %s, per: 10m}}
          - {id: tenant, match: {path: /tenant/**}, service: b, rateLimit: {requests: 2, per: 1m, key: "header:X-Client"}}
          - {id: pool, match: {path: /pool/**}, service: b, rateLimit: {requests: 20, per: 10m}}
          - {id: open, match: {path: /open/**}, service: b}
        %s
        """.formatted(TestGateway.service("b", backend.port), keptRequests, extraRoutes);
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.url(path))).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @Test
  void theSixthRequestInABurstIs429UntilRetryAfterHasPassed() throws Exception {
    int before = backend.completed.get();
    for (int i = 1; i <= 5; i++) {
      HttpResponse<String> ok = get("/five/x");
      assertEquals(200, ok.statusCode(), "request " + i);
      assertEquals("5", header(ok, "RateLimit-Limit"));
      assertEquals(String.valueOf(5 - i), header(ok, "RateLimit-Remaining"));
      assertEquals(String.valueOf(i), header(ok, "RateLimit-Reset"), "one second per spent request");
    }
    HttpResponse<String> sixth = get("/five/x");
    assertEquals(429, sixth.statusCode());
    assertEquals("application/problem+json", header(sixth, "Content-Type"));
    assertEquals("rate_limited", new JsonObject(sixth.body()).getString("code"));
    assertEquals("1", header(sixth, "Retry-After"), "a token comes back every second");
    assertEquals("5", header(sixth, "RateLimit-Limit"));
    assertEquals("0", header(sixth, "RateLimit-Remaining"));
    assertEquals("5", header(sixth, "RateLimit-Reset"));
    assertEquals("nosniff", header(sixth, "X-Content-Type-Options"), "the gateway's 429 has the security headers");
    assertEquals(5, backend.completed.get() - before, "the refused request never reached the service");

    Thread.sleep(Long.parseLong(header(sixth, "Retry-After")) * 1000);
    HttpResponse<String> again = get("/five/x");
    assertEquals(200, again.statusCode(), "after Retry-After one request passes");
    assertEquals("0", header(again, "RateLimit-Remaining"));
    assertEquals(429, get("/five/x").statusCode(), "and only one");
  }

  @Test
  void routesWithoutALimitSendNoRateLimitHeaders() throws Exception {
    HttpResponse<String> r = get("/open/x");
    assertEquals(200, r.statusCode());
    assertEquals(null, header(r, "RateLimit-Limit"));
  }

  @Test
  void twoClientsKeyedByHeaderHaveTheirOwnBuckets() throws Exception {
    assertEquals(200, get("/tenant/x", "X-Client", "alpha").statusCode());
    assertEquals(200, get("/tenant/x", "X-Client", "alpha").statusCode());
    assertEquals(429, get("/tenant/x", "X-Client", "alpha").statusCode());
    assertEquals(200, get("/tenant/x", "X-Client", "beta").statusCode());
    assertEquals(200, get("/tenant/x", "X-Client", "beta").statusCode());
    assertEquals(429, get("/tenant/x", "X-Client", "beta").statusCode());
    // Without the header the client address is the key, in a bucket no header value can reach.
    assertEquals(200, get("/tenant/x", "X-Client", "127.0.0.1").statusCode());
    assertEquals(200, get("/tenant/x").statusCode());
    assertEquals(200, get("/tenant/x").statusCode());
    assertEquals(429, get("/tenant/x").statusCode());
  }

  @Test
  void connectionsOnEveryEventLoopShareOneBudget() throws Exception {
    int clients = 40;
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Thread th = new Thread(() -> {
        try {
          go.await();
          // A new connection each: the gateway spreads connections over its event loops.
          String raw = RawHttp.exchange(t.port(), "GET /pool/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 10_000);
          statuses.computeIfAbsent(RawHttp.statusOf(raw), s -> new AtomicInteger()).incrementAndGet();
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      th.start();
      threads.add(th);
    }
    go.countDown();
    for (Thread th : threads) {
      th.join();
    }
    assertEquals(List.of(), failures);
    assertTrue(Runtime.getRuntime().availableProcessors() < 2 || statuses.size() == 2, statuses.toString());
    assertEquals(20, statuses.get(200).get(), "exactly the budget passes, whichever loop served it: " + statuses);
    assertEquals(20, statuses.get(429).get(), statuses.toString());
  }

  @Test
  void aReloadKeepsTheBucketsAndAChangedLimitStartsAfresh() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertEquals(200, get("/kept/x").statusCode());
    }
    assertEquals(429, get("/kept/x").statusCode());
    t.rewriteConfig(config("5", "  - {id: extra, match: {path: /extra/**}, service: b}\n"));
    assertTrue(TestGateway.eventually(5000, () -> status("/extra/x") == 200), "the reload applied");
    assertEquals(429, get("/kept/x").statusCode(), "a reload does not refill the bucket");
    t.rewriteConfig(config("6", ""));
    assertTrue(TestGateway.eventually(5000, () -> status("/extra/x") == 404), "the second reload applied");
    HttpResponse<String> fresh = get("/kept/x");
    assertEquals(200, fresh.statusCode(), "a changed limit has new buckets");
    assertEquals("6", header(fresh, "RateLimit-Limit"));
  }

  private int status(String path) {
    try {
      return get(path).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
