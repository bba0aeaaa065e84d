package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Services that fail: refuse, are slow, never answer, or break off mid-response. The client gets
 * a problem+json 502/504 before the response started, and a closed connection (never a
 * complete-looking body) after.
 */
@Timeout(30)
class UpstreamFailureTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> get(TestGateway t, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(t.url(path))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The shape every gateway-made error must have, and what it must never leak. */
  private static void assertProblem(HttpResponse<String> r, int status, int backendPort) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(null));
    String id = r.headers().firstValue("X-Request-Id").orElse(null);
    assertNotNull(id);
    String body = r.body();
    assertTrue(body.contains("\"status\":" + status), body);
    assertTrue(body.matches(".*\"code\":\"[a-z_]+\".*"), body);
    assertTrue(body.contains("\"requestId\":\"" + id + "\""), body);
    assertFalse(body.contains("at dev."), body);
    assertFalse(body.contains("at io."), body);
    assertFalse(body.contains("Exception"), body);
    assertFalse(body.contains("127.0.0.1:" + backendPort), body);
    assertFalse(body.contains(":" + backendPort), body);
    assertTrue(r.headers().allValues("Server").isEmpty(), () -> "Server header: " + r.headers().map());
  }

  @Test
  void refusedConnectionIs502Fast() throws Exception {
    int closed = TestGateway.refusingPort();
    try (TestGateway t = TestGateway.create()) {
      t.startGateway(TestGateway.simpleConfig(closed, "5s", "10s"));
      get(t, "/warmup"); // class loading and JIT of the first request are not the gateway's latency
      long start = System.nanoTime();
      HttpResponse<String> r = get(t, "/refused");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertProblem(r, 502, closed);
      assertTrue(millis < 1000, "502 took " + millis + " ms");
    }
  }

  @Test
  void slowerThanResponseTimeoutIs504() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> t.backendVertx.setTimer(10_000, id -> req.response().end("late")));
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "300ms"));
      long start = System.nanoTime();
      HttpResponse<String> r = get(t, "/slow");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertProblem(r, 504, backend);
      assertTrue(millis >= 250 && millis < 5000, "504 after " + millis + " ms");
    }
  }

  @Test
  void acceptsButNeverAnswersIs504() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      CountDownLatch accepted = new CountDownLatch(1);
      int backend = t.tcpBackend(sock -> {
        accepted.countDown();
        sock.handler(buf -> { }); // reads the request, says nothing
      });
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "300ms"));
      HttpResponse<String> r = get(t, "/silent");
      assertTrue(accepted.await(1, TimeUnit.SECONDS), "the connection was made, so connect timeout is not involved");
      assertProblem(r, 504, backend);
    }
  }

  @Test
  void serviceClosingBeforeAnsweringIs502() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.tcpBackend(sock -> sock.handler(buf -> sock.close()));
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      assertProblem(get(t, "/closed"), 502, backend);
    }
  }

  @Test
  void malformedServiceResponseIs502() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.rawHttpBackend(head -> "NOT HTTP AT ALL\r\n\r\n");
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      assertProblem(get(t, "/garbage"), 502, backend);
    }
  }

  @Test
  void localRepliesCarryNoServerHeader() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().end("ok"));
      t.startGateway("""
          server: {host: 127.0.0.1, port: 0}
          admin: {host: 127.0.0.1, port: 0}
          services:
            backend:
              endpoints: [{url: "http://127.0.0.1:%d"}]
          routes:
            - id: only-a
              match: {path: /a/**, methods: [GET]}
              service: backend
          """.formatted(backend));
      HttpResponse<String> notFound = get(t, "/nowhere");
      assertProblem(notFound, 404, backend);
      HttpResponse<String> proxied = get(t, "/a/x");
      assertEquals(200, proxied.statusCode());
      assertTrue(proxied.headers().allValues("Server").isEmpty(), proxied.headers().map()::toString);
      try (RawHttp c = new RawHttp(t.port())) {
        c.send("DELETE /a/x HTTP/1.1\r\nHost: h\r\n\r\n");
        String r = c.readResponse();
        assertEquals(405, RawHttp.statusOf(r), r);
        assertNull(RawHttp.headerOf(r, "Server"), r);
        c.send("GET /a/%2e%2e%2F HTTP/1.1\r\nHost: h\r\n\r\n");
        r = c.readResponse();
        assertEquals(400, RawHttp.statusOf(r), r);
        assertNull(RawHttp.headerOf(r, "Server"), r);
      }
      try (RawHttp c = new RawHttp(t.port())) {
        c.send("GET /a/x HTTP/1.1\r\nHost: h\r\nHost: h2\r\n\r\n"); // rejected by the request guard
        String r = c.readUntilClose(5000);
        assertEquals(400, RawHttp.statusOf(r), r);
        assertNull(RawHttp.headerOf(r, "Server"), r);
      }
    }
  }

  /**
   * Starts the gateway in front of a service that answers with {@code partialResponse} and then
   * resets the connection; returns all a client got for one request, once the gateway closed it.
   */
  private static String responseCutOffAfter(TestGateway t, String partialResponse) throws Exception {
    int backend = t.tcpBackend(sock -> sock.handler(buf -> {
      sock.write(Buffer.buffer(partialResponse));
      // Give the gateway the head and the first bytes before the connection breaks.
      t.backendVertx.setTimer(100, id -> sock.close());
    }));
    t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("GET /partial HTTP/1.1\r\nHost: h\r\n\r\n");
      String all = c.readUntilClose(5000);
      assertFalse(all.endsWith("<<timeout>>"), "the client connection stayed open: " + all);
      return all;
    }
  }

  @Test
  void resetAfterPartOfAContentLengthBodyClosesTheClientConnection() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      String all = responseCutOffAfter(t, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n0123456789");
      assertTrue(RawHttp.statusOf(all) == 200, all);
      assertEquals("100000", RawHttp.headerOf(all, "Content-Length"));
      String body = RawHttp.bodyOf(all).replace("<<reset>>", "");
      assertTrue(body.length() < 100000, "got a complete-looking body of " + body.length() + " bytes");
      assertTrue(body.startsWith("0123456789") || body.isEmpty(), body);
    }
  }

  @Test
  void resetAfterAChunkClosesTheClientConnectionWithoutLastChunk() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      String all = responseCutOffAfter(t,
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n");
      assertEquals(200, RawHttp.statusOf(all), all);
      String body = RawHttp.bodyOf(all);
      assertFalse(body.contains("0\r\n\r\n"), "the truncated body was ended cleanly: " + body);
    }
  }

  @Test
  void resetMidResponseDoesNotBreakLaterRequests() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.tcpBackend(sock -> sock.handler(buf -> {
        if (buf.toString().startsWith("GET /partial")) {
          sock.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"));
          t.backendVertx.setTimer(50, id -> sock.close());
        } else {
          sock.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        }
      }));
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      try (RawHttp c = new RawHttp(t.port())) {
        c.send("GET /partial HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(c.closedWithin(5000));
      }
      HttpResponse<String> r = get(t, "/fine");
      assertEquals(200, r.statusCode());
      assertEquals("ok", r.body());
    }
  }

  /**
   * A listener whose accept queue is full drops further SYNs on Linux, so a connect neither
   * succeeds nor is refused: the connect timeout must answer 504.
   */
  @Test
  void connectTimeoutIs504() throws Exception {
    try (StalledListener stalled = new StalledListener(); TestGateway t = TestGateway.create()) {
      org.junit.jupiter.api.Assumptions.assumeTrue(stalled.stalled,
          "this OS does not stall connects to a full accept queue");
      t.startGateway(TestGateway.simpleConfig(stalled.port(), "300ms", "5s"));
      long start = System.nanoTime();
      HttpResponse<String> r = get(t, "/stalled");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertProblem(r, 504, stalled.port());
      assertTrue(millis >= 250 && millis < 5000, "504 after " + millis + " ms");
    }
  }
}
