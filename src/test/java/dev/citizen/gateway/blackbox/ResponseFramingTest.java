package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Message framing towards the client, checked on raw connections: responses without a body
 * (HEAD, 204, 304) leave nothing behind on a keep-alive connection, {@code Expect: 100-continue}
 * is honoured, HTTP/1.0 clients get bodies delimited by the connection close, and a service's
 * ambiguous framing is never passed on.
 */
@Timeout(30)
class ResponseFramingTest {
  @AutoClose
  private TestGateway t;

  @BeforeEach
  void start() throws Exception {
    t = TestGateway.create();
    // Raw, so the service's framing headers are exactly these.
    int backend = t.rawHttpBackend(head -> {
      String line = head.substring(0, head.indexOf("\r\n"));
      if (line.startsWith("HEAD /head ")) {
        return "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nContent-Type: text/plain\r\nETag: \"v1\"\r\n\r\n";
      } else if (line.startsWith("GET /204 ")) {
        return "HTTP/1.1 204 No Content\r\nX-Kind: no-content\r\n\r\n";
      } else if (line.startsWith("GET /304 ")) {
        return "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nX-Kind: not-modified\r\n\r\n";
      } else if (line.startsWith("HEAD /chunked ")) {
        return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
      } else if (line.startsWith("GET /chunked ")) {
        return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
      } else if (line.startsWith("GET /both ")) {
        // Both framings: a smuggling vector if passed on as is (RFC 9112 §6.3 rule 3).
        return "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n0\r\n\r\n";
      }
      return "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext";
    });
    int echo = t.httpBackend(req -> req.body().onSuccess(b -> req.response().end(b)));
    t.startGateway("""
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
          raw:
            endpoints: [{url: "http://127.0.0.1:%d"}]
            timeouts: {connect: 5s, response: 10s}
          echo:
            endpoints: [{url: "http://127.0.0.1:%d"}]
            timeouts: {connect: 5s, response: 10s}
        routes:
          - id: echo
            match: {path: /echo/**}
            service: echo
            maxBodyBytes: 1KiB
          - id: raw
            match: {path: /**}
            service: raw
        """.formatted(backend, echo));
  }

  /** The next response on {@code c} is the plain "next" answer, so nothing was left in between. */
  private static void assertNextResponseFollows(RawHttp c) throws Exception {
    c.send("GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
    String r = c.readResponse();
    assertTrue(r.startsWith("HTTP/1.1 200 "), () -> "stray bytes before the next response: " + r);
    assertEquals("next", RawHttp.bodyOf(r));
  }

  @Test
  void headKeepsContentLengthAndSendsNoBody() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("HEAD /head HTTP/1.1\r\nHost: h\r\n\r\n");
      String head = c.readHead();
      assertEquals(200, RawHttp.statusOf(head), head);
      assertEquals("1234", RawHttp.headerOf(head, "Content-Length"), head);
      assertEquals("\"v1\"", RawHttp.headerOf(head, "ETag"));
      assertNull(RawHttp.headerOf(head, "Transfer-Encoding"), head);
      assertNextResponseFollows(c);
    }
  }

  @Test
  void headOfAChunkedResourceSendsNoBody() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("HEAD /chunked HTTP/1.1\r\nHost: h\r\n\r\n");
      String head = c.readHead();
      assertEquals(200, RawHttp.statusOf(head), head);
      assertNextResponseFollows(c);
    }
  }

  @Test
  void noContentHasNoBodyAndNoFraming() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("GET /204 HTTP/1.1\r\nHost: h\r\n\r\n");
      String head = c.readHead();
      assertEquals(204, RawHttp.statusOf(head), head);
      assertEquals("no-content", RawHttp.headerOf(head, "X-Kind"));
      // RFC 9110 §8.6 / RFC 9112 §6.1: a 204 carries neither.
      assertNull(RawHttp.headerOf(head, "Transfer-Encoding"), head);
      assertNull(RawHttp.headerOf(head, "Content-Length"), head);
      assertNextResponseFollows(c);
    }
  }

  @Test
  void notModifiedHasNoBody() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("GET /304 HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"v1\"\r\n\r\n");
      String head = c.readHead();
      assertEquals(304, RawHttp.statusOf(head), head);
      assertEquals("\"v1\"", RawHttp.headerOf(head, "ETag"));
      assertNull(RawHttp.headerOf(head, "Transfer-Encoding"), head);
      assertNextResponseFollows(c);
    }
  }

  @Test
  void expectContinueIsAnsweredThenTheBodyFlows() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("POST /echo/x HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
      String interim = c.readHead();
      assertEquals("HTTP/1.1 100 Continue\r\n\r\n", interim);
      c.send("hello world");
      String r = c.readResponse();
      assertEquals(200, RawHttp.statusOf(r), r);
      assertEquals("hello world", RawHttp.bodyOf(r));
      // Still keep-alive.
      c.send("POST /echo/y HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok");
      assertEquals("ok", RawHttp.bodyOf(c.readResponse()));
    }
  }

  @Test
  void expectContinueOverTheLimitIs413WithoutContinue() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("POST /echo/x HTTP/1.1\r\nHost: h\r\nContent-Length: 2048\r\nExpect: 100-continue\r\n\r\n");
      String r = c.readResponse();
      assertEquals(413, RawHttp.statusOf(r), r);
      assertEquals("application/problem+json", RawHttp.headerOf(r, "Content-Type"));
      assertTrue(RawHttp.bodyOf(r).contains("\"status\":413"), r);
      assertTrue(c.closedWithin(5000), "the unread body makes the connection unusable; it must close");
    }
  }

  @Test
  void expectContinueOnAChunkedBodyOverTheLimitIs413() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("POST /echo/x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
      String interim = c.readHead();
      assertEquals(List.of("HTTP/1.1 100 Continue"), List.of(interim.trim()));
      String chunk = "x".repeat(1000);
      c.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
      c.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
      String r = c.readResponse();
      assertEquals(413, RawHttp.statusOf(r), r);
      assertTrue(c.closedWithin(5000));
    }
  }

  @Test
  void http10ClientGetsAnUnknownLengthBodyEndedByClose() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("GET /chunked HTTP/1.0\r\n\r\n");
      String all = c.readUntilClose(5000);
      assertTrue(all.startsWith("HTTP/1.0 200 "), all);
      assertNull(RawHttp.headerOf(all, "Transfer-Encoding"), "HTTP/1.0 has no chunked coding: " + all);
      assertEquals("hello world", RawHttp.bodyOf(all), all);
    }
  }

  @Test
  void http10KeepAliveClientGetsAnUnknownLengthBodyEndedByClose() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("GET /chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      String all = c.readUntilClose(5000);
      assertTrue(all.startsWith("HTTP/1.0 200 "), all);
      assertTrue(!all.endsWith("<<timeout>>"), "without a length the connection must close to end the body: " + all);
      assertEquals("close", RawHttp.headerOf(all, "Connection"), all);
      assertEquals("hello world", RawHttp.bodyOf(all), all);
    }
  }

  @Test
  void http10KeepAliveClientKeepsItsConnectionWhenTheLengthIsKnown() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("GET /next HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      String r = c.readResponse();
      assertEquals("next", RawHttp.bodyOf(r), r);
      c.send("GET /next HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      assertEquals("next", RawHttp.bodyOf(c.readResponse()));
    }
  }

  @Test
  void ambiguousServiceFramingIsNotPassedOn() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("GET /both HTTP/1.1\r\nHost: h\r\n\r\n");
      String head = c.readHead();
      int status = RawHttp.statusOf(head);
      if (status == 502) {
        return; // refusing the response is fine too
      }
      assertEquals(200, status, head);
      boolean length = RawHttp.headerOf(head, "Content-Length") != null;
      boolean chunked = RawHttp.headerOf(head, "Transfer-Encoding") != null;
      assertTrue(length ^ chunked, () -> "exactly one framing expected: " + head);
      assertTrue(chunked, head);
      assertEquals("hello", new String(c.readChunkedBody(), java.nio.charset.StandardCharsets.ISO_8859_1));
      assertNextResponseFollows(c);
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("GET /next HTTP/1.1\r\nHost: h\r\n\r\n"
          + "POST /echo/p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
          + "HEAD /head HTTP/1.1\r\nHost: h\r\n\r\n"
          + "GET /204 HTTP/1.1\r\nHost: h\r\n\r\n"
          + "POST /echo/q HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
          + "GET /next HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
      assertEquals("next", RawHttp.bodyOf(c.readResponse()));
      assertEquals("abc", RawHttp.bodyOf(c.readResponse()));
      String head = c.readHead();
      assertEquals(200, RawHttp.statusOf(head), head);
      assertEquals("1234", RawHttp.headerOf(head, "Content-Length"));
      assertEquals(204, RawHttp.statusOf(c.readHead()));
      assertEquals("de", RawHttp.bodyOf(c.readResponse()));
      String last = c.readUntilClose(5000);
      assertTrue(last.startsWith("HTTP/1.1 200 "), last);
      assertTrue(last.endsWith("next"), last);
    }
  }

  /** RFC 9112 §9.6: "close" among other connection options still closes, proxied or local. */
  @Test
  void closeAmongOtherConnectionOptionsClosesTheConnection() throws Exception {
    for (String connection : new String[] {"close, X-Other", "X-Other, Close", "keep-alive, close"}) {
      // proxied with a body; proxied without one; rejected locally (400)
      for (String request : new String[] {"GET /next", "GET /204", "HEAD /head", "GET /a/%2F"}) {
        String target = request;
        try (RawHttp c = new RawHttp(t.port())) {
          c.send(request + " HTTP/1.1\r\nHost: h\r\nConnection: " + connection + "\r\n\r\n");
          String all = c.readUntilClose(5000);
          assertTrue(all.startsWith("HTTP/1.1 "), all);
          assertTrue(!all.endsWith("<<timeout>>"), connection + " on " + target + " left the connection open: " + all);
          assertEquals("close", RawHttp.headerOf(all, "Connection"), all);
        }
      }
    }
  }
}
