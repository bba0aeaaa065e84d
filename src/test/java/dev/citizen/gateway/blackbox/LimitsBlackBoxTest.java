package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Size limits: request head (431), request-target (414) and body (413, by Content-Length before
 * any upstream call, and counted while streaming a chunked body), with route-level overrides.
 */
@Timeout(30)
class LimitsBlackBoxTest {
  @AutoClose
  private static TestGateway t;
  private static TestGateway.RecordingBackend backend;

  @BeforeAll
  static void start() throws Exception {
    t = TestGateway.create();
    backend = t.recordingBackend("b");
    t.startGateway("""
        server:
          host: 127.0.0.1
          port: 0
          limits: {maxHeaderBytes: 1KiB, maxUriBytes: 256B, maxBodyBytes: 1KiB}
        admin: {host: 127.0.0.1, port: 0}
        services:
        %s
        routes:
          - {id: small, match: {path: /small/**}, service: b}
          - {id: big, match: {path: /big/**}, service: b, maxBodyBytes: 64KiB}
          - {id: tiny, match: {path: /tiny/**}, service: b, maxBodyBytes: 16B}
        """.formatted(TestGateway.service("b", backend.port)));
  }

  // ------------------------------------------------------------------ head and URI

  @Test
  void headOverMaxHeaderBytesIs431() throws Exception {
    int before = backend.started.get();
    String response = RawHttp.exchange(t.port(), "GET /small/x HTTP/1.1\r\nHost: h\r\nX-Pad: " + "a".repeat(1100)
        + "\r\n\r\n", 3000);
    assertEquals(431, RawHttp.statusOf(response), response);
    assertEquals("header_too_large", new JsonObject(RawHttp.bodyOf(response)).getString("code"));
    assertNothingReached(before);
  }

  @Test
  void manySmallHeadersOverTheLimitAre431() throws Exception {
    int before = backend.started.get();
    StringBuilder head = new StringBuilder("GET /small/x HTTP/1.1\r\nHost: h\r\n");
    for (int i = 0; i < 150; i++) {
      head.append("X-H").append(i).append(": v\r\n");
    }
    String response = RawHttp.exchange(t.port(), head.append("\r\n").toString(), 3000);
    assertEquals(431, RawHttp.statusOf(response), response);
    assertNothingReached(before);
  }

  @Test
  void headOfExactlyMaxHeaderBytesIsServedAndOneMoreIs431() throws Exception {
    String start = "GET /small/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\nX-Pad: ";
    // The whole head counts: request-line, header lines, their CRLFs and the final empty line.
    String pad = "a".repeat(1024 - start.length() - 4);
    String exact = start + pad + "\r\n\r\n";
    assertEquals(1024, exact.length());
    String response = RawHttp.exchange(t.port(), exact, 3000);
    assertEquals(200, RawHttp.statusOf(response), response);
    String over = RawHttp.exchange(t.port(), start + pad + "a\r\n\r\n", 3000);
    assertEquals(431, RawHttp.statusOf(over), over);
  }

  @Test
  void uriOverMaxUriBytesIs414() throws Exception {
    int before = backend.started.get();
    String response = RawHttp.exchange(t.port(), "GET /small/" + "a".repeat(300) + " HTTP/1.1\r\nHost: h\r\n\r\n",
        3000);
    assertEquals(414, RawHttp.statusOf(response), response);
    assertEquals("uri_too_long", new JsonObject(RawHttp.bodyOf(response)).getString("code"));
    assertNothingReached(before);
  }

  @Test
  void queryCountsTowardsTheUriLimit() throws Exception {
    int before = backend.started.get();
    String response = RawHttp.exchange(t.port(), "GET /small/x?q=" + "a".repeat(260) + " HTTP/1.1\r\nHost: h\r\n\r\n",
        3000);
    assertEquals(414, RawHttp.statusOf(response), response);
    assertNothingReached(before);
  }

  @Test
  void uriOfExactlyMaxUriBytesIsServed() throws Exception {
    String target = "/small/" + "a".repeat(256 - "/small/".length());
    assertEquals(256, target.length());
    String response = RawHttp.exchange(t.port(), "GET " + target + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        3000);
    assertEquals(200, RawHttp.statusOf(response), response);
    assertTrue(backend.uris().contains(target));
  }

  // ------------------------------------------------------------------ body

  @Test
  void contentLengthOverTheLimitIs413WithoutAnUpstreamCall() throws Exception {
    int before = backend.started.get();
    String body = "x".repeat(2000);
    String response = RawHttp.exchange(t.port(), "POST /small/upload HTTP/1.1\r\nHost: h\r\nContent-Length: "
        + body.length() + "\r\n\r\n" + body, 3000);
    assertEquals(413, RawHttp.statusOf(response), response);
    assertEquals("close", RawHttp.headerOf(response, "Connection"), "the unread body ends the connection");
    JsonObject problem = new JsonObject(RawHttp.bodyOf(response));
    assertEquals(413, problem.getInteger("status"));
    assertEquals("body_too_large", problem.getString("code"));
    assertNothingReached(before);
  }

  @Test
  void contentLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() throws Exception {
    int before = backend.started.get();
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("POST /small/upload HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n");
      String response = c.readUntilClose(3000);
      assertEquals(413, RawHttp.statusOf(response), response);
      assertFalse(response.contains("100 Continue"), response);
    }
    assertNothingReached(before);
  }

  @Test
  void bodyAtTheLimitIsServed() throws Exception {
    String body = "x".repeat(1024);
    String response = RawHttp.exchange(t.port(), "POST /small/exact HTTP/1.1\r\nHost: h\r\nConnection: close\r\n"
        + "Content-Length: 1024\r\n\r\n" + body, 3000);
    assertEquals(200, RawHttp.statusOf(response), response);
    assertTrue(backend.received.stream().anyMatch(s -> s.uri().equals("/small/exact") && s.bodyBytes() == 1024));
  }

  @Test
  void chunkedBodyOverTheLimitIs413WhileStreaming() throws Exception {
    int completedBefore = backend.completed.get();
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("POST /small/stream HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
      String chunk = "x".repeat(500);
      for (int i = 0; i < 4; i++) {
        c.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
      }
      c.send("0\r\n\r\n");
      String response = c.readUntilClose(3000);
      assertEquals(413, RawHttp.statusOf(response), response);
      assertEquals("close", RawHttp.headerOf(response, "Connection"));
      assertEquals("body_too_large", new JsonObject(RawHttp.bodyOf(response)).getString("code"));
    }
    Thread.sleep(100);
    assertEquals(completedBefore, backend.completed.get(), "no complete request reached the backend");
    assertFalse(backend.uris().contains("/small/stream"));
  }

  @Test
  void chunkedBodyAtTheLimitIsServed() throws Exception {
    String chunk = "x".repeat(512);
    String response = RawHttp.exchange(t.port(), "POST /small/chunked-ok HTTP/1.1\r\nHost: h\r\nConnection: close\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n"
        + "200\r\n" + chunk + "\r\n200\r\n" + chunk + "\r\n0\r\n\r\n", 3000);
    assertEquals(200, RawHttp.statusOf(response), response);
    assertTrue(backend.received.stream().anyMatch(s -> s.uri().equals("/small/chunked-ok") && s.bodyBytes() == 1024));
  }

  @Test
  void routeLevelMaxBodyBytesOverridesTheServerLimit() throws Exception {
    String body = "y".repeat(2000);
    String response = RawHttp.exchange(t.port(), "POST /big/upload HTTP/1.1\r\nHost: h\r\nConnection: close\r\n"
        + "Content-Length: 2000\r\n\r\n" + body, 3000);
    assertEquals(200, RawHttp.statusOf(response), "the route allows 64KiB: " + response);
    assertTrue(backend.received.stream().anyMatch(s -> s.uri().equals("/big/upload") && s.bodyBytes() == 2000));

    int before = backend.started.get();
    String tooBig = RawHttp.exchange(t.port(), "POST /big/upload HTTP/1.1\r\nHost: h\r\n"
        + "Content-Length: " + (64 * 1024 + 1) + "\r\n\r\n", 3000);
    assertEquals(413, RawHttp.statusOf(tooBig), tooBig);
    assertNothingReached(before);

    String tiny = RawHttp.exchange(t.port(), "POST /tiny/upload HTTP/1.1\r\nHost: h\r\n"
        + "Content-Length: 17\r\n\r\n" + "z".repeat(17), 3000);
    assertEquals(413, RawHttp.statusOf(tiny), "a route may also lower the limit: " + tiny);
    assertNothingReached(before);
  }

  /** A 413 says "Connection: close": a request pipelined behind the refused body must not run. */
  @Test
  void requestPipelinedBehindARefusedBodyNeverRuns() throws Exception {
    String response = RawHttp.exchange(t.port(), "POST /tiny/up HTTP/1.1\r\nHost: h\r\nContent-Length: 20\r\n\r\n"
        + "01234567890123456789DELETE /small/pipelined HTTP/1.1\r\nHost: h\r\n\r\n", 3000);
    assertEquals(413, RawHttp.statusOf(response), response);
    Thread.sleep(200);
    assertFalse(backend.uris().contains("/small/pipelined"), "ran although the client was told close");
  }

  @Test
  void hugeContentLengthIs413NotAnOverflow() throws Exception {
    int before = backend.started.get();
    String response = RawHttp.exchange(t.port(), "POST /big/upload HTTP/1.1\r\nHost: h\r\n"
        + "Content-Length: 999999999999999999\r\n\r\n", 3000);
    assertEquals(413, RawHttp.statusOf(response), response);
    assertNothingReached(before);
  }

  private static void assertNothingReached(int before) throws InterruptedException {
    Thread.sleep(50);
    assertEquals(before, backend.started.get(), "a refused request reached the backend");
  }
}
