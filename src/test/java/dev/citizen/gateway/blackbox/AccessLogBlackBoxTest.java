package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The access log seen from outside: requests go through the real gateway and the lines that reach
 * the {@code access} logger are read back as JSON. One line per request, every field right, the
 * trace id the client got back, and nothing personal or secret in it; and a log output that stalls
 * costs lines, never requests.
 */
@Timeout(60)
class AccessLogBlackBoxTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static String config(int patientsPort, int billingPort, String accessLog) {
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
          patients:
            endpoints: [{url: "http://127.0.0.1:%d"}]
            timeouts: {connect: 2s, response: 5s}
          billing:
            versions:
              stable: {weight: 1, endpoints: [{url: "http://127.0.0.1:%d"}]}
            timeouts: {connect: 2s, response: 5s}
        routes:
          - {id: patients, match: {path: /api/patients/**}, service: patients}
          - {id: billing, match: {path: /api/invoices/**}, service: billing}
        observability:
          accessLog:
        %s""".formatted(patientsPort, billingPort, accessLog.indent(4));
  }

  /** A backend that reads the body and answers {@code hello} (5 bytes). */
  private static int helloBackend(TestGateway t) throws Exception {
    return t.httpBackend(req -> req.body().onComplete(b -> req.response().end("hello")));
  }

  /**
   * A request the connection guard refuses (ambiguous framing, a target over the limit) never
   * becomes a request the gateway routes, but the client got an answer and a request id: the
   * access log has a line for it too, with that id and a trace id.
   */
  @Test
  void requestsTheGuardRefusesGetALineWithTheRequestIdTheClientSaw() throws Exception {
    try (TestGateway t = TestGateway.create(); LogCapture access = LogCapture.of("access")) {
      int backend = helloBackend(t);
      t.startGateway(config(backend, backend, "{}").replace("server: {host: 127.0.0.1, port: 0}",
          "server: {host: 127.0.0.1, port: 0, limits: {maxUriBytes: 64}}"));
      Map<String, Integer> sent = new HashMap<>();
      for (String head : new String[] {
          "GET /api/patients/1 HTTP/1.1\r\nHost: a\r\nX-Bad : space before the colon\r\n\r\n",
          "GET /api/patients/" + "x".repeat(100) + " HTTP/1.1\r\nHost: a\r\n\r\n"}) {
        String answer = RawHttp.responseTo(t.port(), head);
        String id = RawHttp.headerOf(answer, "X-Request-Id");
        assertNotNull(id, answer);
        sent.put(id, RawHttp.statusOf(answer));
      }
      assertEquals(Map.of(400, 1, 414, 1), count(sent.values()), "answers: " + sent);

      assertNotNull(access.awaitCount(5000, 2, l -> true), "two access lines: " + access.lines);
      for (LogCapture.Line l : access.lines) {
        JsonObject o = new JsonObject(l.message());
        Integer status = sent.get(o.getString("requestId"));
        assertNotNull(status, "the request id the client got: " + o.encode());
        assertEquals(status, o.getInteger("status"));
        assertEquals(status == 400 ? "bad_request" : "uri_too_long", o.getString("problem"));
        assertTrue(o.getString("traceId").matches("[0-9a-f]{32}"), o.encode());
        assertEquals("access", o.getString("logger"));
        assertEquals("127.0.0.1", o.getString("client"));
        assertEquals(0, o.getInteger("attempts"));
        assertFalse(o.containsKey("route") || o.containsKey("path"), "nothing of the head is trusted: " + o.encode());
      }
    }
  }

  private static Map<Integer, Integer> count(java.util.Collection<Integer> values) {
    Map<Integer, Integer> n = new HashMap<>();
    values.forEach(v -> n.merge(v, 1, Integer::sum));
    return n;
  }

  @Test
  void everyFieldIsRightAndNothingPersonalOrSecretIsLogged() throws Exception {
    try (TestGateway t = TestGateway.create(); LogCapture access = LogCapture.of("access")) {
      int backend = helloBackend(t);
      t.startGateway(config(backend, backend, """
          headers: [X-Tenant]
          logQuery: true
          queryParams: [page]
          """));

      long before = System.currentTimeMillis();
      long sentNanos = System.nanoTime();
      HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(t.url(
              "/api/patients/jane.doe%40example.org/notes?email=jane.doe%40example.org&page=2&ssn=123-45-6789")))
          .header("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01")
          .header("Authorization", "Bearer s3cr3t-t0ken")
          .header("Cookie", "session=abc123xyz")
          .header("X-Tenant", "acme")
          .header("User-Agent", "ops-bot/1.0 (call 555-123-4567)")
          .header("X-Request-Id", "req-get")
          .build(), HttpResponse.BodyHandlers.ofString());
      long tookMillis = (System.nanoTime() - sentNanos) / 1_000_000;
      long after = System.currentTimeMillis();
      assertEquals(200, get.statusCode());

      String body = "{\"name\":\"Jane Doe\",\"ssn\":\"123-45-6789\",\"email\":\"jane.doe@example.org\"}";
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(t.url("/api/patients")))
          .header("Content-Type", "application/json").header("X-Request-Id", "req-post")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, post.statusCode());
      HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(t.url("/nowhere")))
          .header("X-Request-Id", "req-404").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, none.statusCode());
      HttpResponse<String> invoice = http.send(HttpRequest.newBuilder(URI.create(t.url("/api/invoices/7")))
          .header("X-Request-Id", "req-versioned").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, invoice.statusCode());

      assertNotNull(access.awaitCount(5000, 4, l -> true), "four access lines: " + access.lines);
      Map<String, JsonObject> byId = new HashMap<>();
      for (LogCapture.Line l : access.lines) {
        assertFalse(l.message().contains("\n"), l.message());
        JsonObject o = new JsonObject(l.message());
        assertNull(byId.put(o.getString("requestId"), o), "one line per request: " + access.lines);
      }

      JsonObject g = byId.get("req-get");
      String traceparent = get.headers().firstValue("traceparent").orElseThrow();
      Instant start = Instant.parse(g.getString("timestamp"));
      assertTrue(g.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), g.encode());
      assertTrue(start.toEpochMilli() >= before && start.toEpochMilli() <= after, "request start: " + g.encode());
      assertEquals("access", g.getString("logger"));
      assertEquals(TRACE, g.getString("traceId"));
      assertEquals(traceparent.substring(3, 35), g.getString("traceId"), "the trace the client got back");
      assertEquals(traceparent.substring(36, 52), g.getString("spanId"), "the gateway's span the client got back");
      assertEquals("patients", g.getString("route"));
      assertEquals("patients", g.getString("service"));
      assertEquals("http://127.0.0.1:" + backend, g.getString("endpoint"));
      assertFalse(g.containsKey("version"), "a service without versions: " + g.encode());
      assertEquals(1, g.getInteger("attempts"));
      assertEquals("GET", g.getString("method"));
      assertEquals("/api/patients/[email]/notes", g.getString("path"));
      assertEquals("email=***&page=2&ssn=***", g.getString("query"));
      assertEquals(200, g.getInteger("status"));
      assertFalse(g.containsKey("problem"));
      double ms = g.getDouble("durationMs");
      assertTrue(ms > 0 && ms <= tookMillis + 1, ms + " ms, the client saw " + tookMillis + " ms");
      assertEquals(0L, g.getLong("bytesIn"));
      assertEquals(5L, g.getLong("bytesOut"));
      assertEquals("127.0.0.1", g.getString("client"));
      assertEquals("ops-bot/1.0 (call [phone])", g.getString("userAgent"));
      assertEquals(new JsonObject().put("x-tenant", "acme"), g.getJsonObject("headers"));

      JsonObject p = byId.get("req-post");
      assertEquals("POST", p.getString("method"));
      assertEquals("/api/patients", p.getString("path"));
      assertEquals((long) body.length(), p.getLong("bytesIn"));
      assertFalse(p.containsKey("query"), "no query, no field");
      assertFalse(p.containsKey("headers"), "no allowed header was sent");
      assertTrue(p.getString("traceId").matches("[0-9a-f]{32}"), "a new trace: " + p.encode());
      assertEquals(post.headers().firstValue("traceparent").orElseThrow().substring(3, 35), p.getString("traceId"));

      JsonObject n = byId.get("req-404");
      assertEquals(404, n.getInteger("status"));
      assertEquals("no_route", n.getString("problem"));
      assertEquals(0, n.getInteger("attempts"));
      assertFalse(n.containsKey("route") || n.containsKey("service") || n.containsKey("endpoint"), n.encode());
      assertEquals((long) none.body().length(), n.getLong("bytesOut"));

      JsonObject v = byId.get("req-versioned");
      assertEquals("billing", v.getString("service"));
      assertEquals("stable", v.getString("version"));

      String all = access.lines.toString();
      for (String secret : new String[] {"jane", "Jane", "example.org", "123-45-6789", "555-123-4567", "s3cr3t",
          "Bearer", "abc123xyz", "session=", "uthorization", "ookie"}) {
        assertFalse(all.contains(secret), "\"" + secret + "\" was logged: " + all);
      }
    }
  }

  @Test
  void everyOneOfManyConcurrentRequestsGetsExactlyOneLine() throws Exception {
    int n = 300;
    try (TestGateway t = TestGateway.create(); LogCapture access = LogCapture.of("access")) {
      int backend = helloBackend(t);
      t.startGateway(config(backend, backend, "enabled: true\n"));
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        // Some requests end at the gateway (404), most at the service.
        String path = i % 10 == 0 ? "/nowhere/" + i : "/api/patients/" + i;
        sent.add(http.sendAsync(HttpRequest.newBuilder(URI.create(t.url(path))).header("X-Request-Id", "c-" + i)
            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      Map<String, String> traceById = new HashMap<>();
      for (int i = 0; i < n; i++) {
        HttpResponse<String> r = sent.get(i).get(30, TimeUnit.SECONDS);
        assertEquals(i % 10 == 0 ? 404 : 200, r.statusCode());
        traceById.put("c-" + i, r.headers().firstValue("traceparent").orElseThrow().substring(3, 35));
      }
      assertNotNull(access.awaitCount(10_000, n, l -> true), "lines: " + access.lines.size() + " of " + n);
      Thread.sleep(300); // a second line for some request would show up now
      assertEquals(n, access.lines.size());
      Map<String, Integer> lines = new HashMap<>();
      for (LogCapture.Line l : access.lines) {
        JsonObject o = new JsonObject(l.message());
        String id = o.getString("requestId");
        lines.merge(id, 1, Integer::sum);
        assertEquals(traceById.get(id), o.getString("traceId"), "the trace id the client got: " + o.encode());
      }
      assertEquals(traceById.keySet(), lines.keySet());
      assertTrue(lines.values().stream().allMatch(c -> c == 1), lines.toString());
    }
  }

  /**
   * A log output that blocks (here an appender that waits on a latch; in life a full pipe or disk)
   * with a queue of 4 lines: requests go on at full speed, the lines that do not fit are dropped and
   * counted, and once the output moves again the writer says how many were lost.
   */
  @Test
  void aStalledLogOutputNeverBlocksRequests() throws Exception {
    int n = 100;
    CountDownLatch release = new CountDownLatch(1);
    Queue<String> written = new ConcurrentLinkedQueue<>();
    AppenderBase<ILoggingEvent> stalled = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
        written.add(e.getFormattedMessage());
      }
    };
    Logger accessLogger = (Logger) LoggerFactory.getLogger("access");
    stalled.start();
    try (TestGateway t = TestGateway.create(); LogCapture access = LogCapture.of("access");
        LogCapture warnings = LogCapture.of("dev.citizen.gateway.accesslog.AccessLogWriter")) {
      int backend = helloBackend(t);
      t.startGateway(config(backend, backend, "queueSize: 4\n"));
      // Warm up (first connection, JIT) before the stall, so the timings below are the stall's.
      assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(t.url("/api/patients/warm"))).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertNotNull(access.await(5000, l -> true));
      accessLogger.addAppender(stalled);
      long slowest = 0;
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long s = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(t.url("/api/patients/" + i)))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        slowest = Math.max(slowest, System.nanoTime() - s);
      }
      long totalMillis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("stalled access log: %d requests in %d ms, slowest %d ms%n", n, totalMillis,
          slowest / 1_000_000);
      assertTrue(slowest < TimeUnit.SECONDS.toNanos(1), "slowest request " + slowest / 1_000_000 + " ms");
      assertTrue(written.isEmpty(), "the output is still stalled");
      // The gateway ends a request for its observers once the response is flushed, which may be
      // just after the client read it: give the last ones time to be offered while still stalled.
      Thread.sleep(500);

      release.countDown();
      Pattern droppedLine = Pattern.compile("access log: (\\d+) lines dropped \\(the queue of 4 lines was full");
      LogCapture.Line warn = warnings.await(5000, l -> droppedLine.matcher(l.message()).find());
      assertNotNull(warn, "a WARN with the number of lines dropped: " + warnings.lines);
      assertEquals(ch.qos.logback.classic.Level.WARN, warn.level());
      Matcher m = droppedLine.matcher(warn.message());
      assertTrue(m.find());
      long dropped = Long.parseLong(m.group(1));
      // One line was in the stalled appender and 4 waited in the queue; the rest had no room.
      assertTrue(TestGateway.eventually(5000, () -> written.size() + dropped == n),
          written.size() + " written + " + dropped + " dropped, of " + n);
      assertEquals(n - 5, dropped, "queue of 4 + the one being written");
    } finally {
      release.countDown();
      accessLogger.detachAppender(stalled);
      stalled.stop();
    }
  }
}
