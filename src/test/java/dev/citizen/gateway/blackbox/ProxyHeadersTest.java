package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Header rewriting between client and service over real sockets: hop-by-hop headers stay on their
 * hop in both directions, X-Forwarded-* are set, repeated headers stay separate lines, and the
 * request-target passes byte for byte.
 */
@Timeout(30)
class ProxyHeadersTest {
  /** Hop-by-hop by RFC 9110 §7.6.1, lower case. */
  private static final List<String> HOP_BY_HOP = List.of(
      "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

  /**
   * Starts {@code t}'s gateway in front of a service that answers "ok" and completes {@code seen}
   * with the headers of the first request it gets; returns the service's port.
   */
  private static int startGatewayRecordingUpstreamHeaders(TestGateway t, CompletableFuture<MultiMap> seen)
      throws Exception {
    int backend = t.httpBackend(req -> {
      seen.complete(HttpHeaders.headers().addAll(req.headers()));
      req.response().end("ok");
    });
    t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
    return backend;
  }

  /** Sends {@code rawRequest} through a fresh gateway, expects 200, and returns the headers the service got. */
  private static MultiMap headersSeenUpstream(String rawRequest) throws Exception {
    try (TestGateway t = TestGateway.create()) {
      CompletableFuture<MultiMap> seen = new CompletableFuture<>();
      startGatewayRecordingUpstreamHeaders(t, seen);
      assertEquals(200, RawHttp.statusOf(RawHttp.responseTo(t.port(), rawRequest)));
      return seen.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void hopByHopRequestHeadersStayOnTheClientHop() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      CompletableFuture<MultiMap> seen = new CompletableFuture<>();
      int backend = startGatewayRecordingUpstreamHeaders(t, seen);
      try (RawHttp c = new RawHttp(t.port())) {
        c.send("GET /h HTTP/1.1\r\n"
            + "Host: client.example:8443\r\n"
            + "Connection: close, X-Secret\r\n"
            + "Keep-Alive: timeout=5\r\n"
            + "Proxy-Connection: keep-alive\r\n"
            + "TE: trailers\r\n"
            + "Trailer: X-Trail\r\n"
            + "Upgrade: h2c\r\n"
            + "X-Secret: s3cret\r\n"
            + "X-Forwarded-For: 1.2.3.4\r\n"
            + "X-End-To-End: kept\r\n"
            + "\r\n");
        String response = c.readUntilClose(5000);
        assertEquals(200, RawHttp.statusOf(response), response);
        assertFalse(response.endsWith("<<timeout>>"), "Connection: close was not honoured: " + response);
      }
      MultiMap h = seen.get(5, TimeUnit.SECONDS);
      for (String name : HOP_BY_HOP) {
        assertFalse(h.contains(name), () -> name + " reached the backend: " + h);
      }
      assertFalse(h.contains("X-Secret"), () -> "a header named in Connection reached the backend: " + h);
      assertEquals("kept", h.get("X-End-To-End"));
      // 127.0.0.1 is no trusted proxy here: its own X-Forwarded-For is replaced by its address.
      assertEquals(List.of("127.0.0.1"), h.getAll("X-Forwarded-For"));
      assertEquals("http", h.get("X-Forwarded-Proto"));
      assertEquals("client.example:8443", h.get("X-Forwarded-Host"));
      // preserveHost is off: the service sees its own authority.
      assertEquals("127.0.0.1:" + backend, h.get("Host"));
    }
  }

  @Test
  void forwardedHeadersWithoutClientValues() throws Exception {
    MultiMap h = headersSeenUpstream("GET /h HTTP/1.1\r\nHost: public.example\r\n\r\n");
    assertEquals("127.0.0.1", h.get("X-Forwarded-For"));
    assertEquals("http", h.get("X-Forwarded-Proto"));
    assertEquals("public.example", h.get("X-Forwarded-Host"));
  }

  @Test
  void clientForwardedProtoAndHostAreReplaced() throws Exception {
    MultiMap h = headersSeenUpstream("GET /h HTTP/1.1\r\nHost: real.example\r\nX-Forwarded-Proto: https\r\n"
        + "X-Forwarded-Host: spoofed.example\r\nX-Request-Id: a\r\nX-Request-Id: b\r\n\r\n");
    assertEquals(List.of("http"), h.getAll("X-Forwarded-Proto"));
    assertEquals(List.of("real.example"), h.getAll("X-Forwarded-Host"));
    assertEquals(1, h.getAll("X-Request-Id").size(), h::toString);
  }

  @Test
  void chunkedRequestIsReframedNotCopied() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      CompletableFuture<MultiMap> seen = new CompletableFuture<>();
      int backend = t.httpBackend(req -> {
        seen.complete(HttpHeaders.headers().addAll(req.headers()));
        req.body().onSuccess(b -> req.response().end(b));
      });
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      String r = RawHttp.responseTo(t.port(), "POST /h HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
      assertEquals(200, RawHttp.statusOf(r), r);
      assertEquals("hello world", RawHttp.bodyOf(r));
      MultiMap h = seen.get(5, TimeUnit.SECONDS);
      // The gateway frames the upstream body itself: one Transfer-Encoding, no Content-Length.
      assertEquals(List.of("chunked"), h.getAll("Transfer-Encoding"));
      assertNull(h.get("Content-Length"));
    }
  }

  @Test
  void hopByHopResponseHeadersStayOnTheServiceHop() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.rawHttpBackend(head -> "HTTP/1.1 200 OK\r\n"
          + "Content-Length: 2\r\n"
          + "Connection: keep-alive, X-Backend-Secret\r\n"
          + "Keep-Alive: timeout=5, max=100\r\n"
          + "Proxy-Connection: keep-alive\r\n"
          + "TE: trailers\r\n"
          + "Trailer: X-Trail\r\n"
          + "Upgrade: h2c\r\n"
          + "X-Backend-Secret: s3cret\r\n"
          + "X-End-To-End: kept\r\n"
          + "\r\n"
          + "ok");
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      try (RawHttp c = new RawHttp(t.port())) {
        c.send("GET /h HTTP/1.1\r\nHost: h\r\n\r\n");
        String r = c.readResponse();
        assertEquals(200, RawHttp.statusOf(r), r);
        assertEquals("ok", RawHttp.bodyOf(r));
        for (String name : HOP_BY_HOP) {
          assertTrue(RawHttp.headerLines(r, name).isEmpty(), () -> name + " reached the client: " + r);
        }
        assertNull(RawHttp.headerOf(r, "X-Backend-Secret"), r);
        assertEquals("kept", RawHttp.headerOf(r, "X-End-To-End"));
        // The client connection is still usable.
        c.send("GET /again HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(200, RawHttp.statusOf(c.readResponse()));
      }
    }
  }

  @Test
  void chunkedResponseIsReframedNotCopied() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.rawHttpBackend(head -> "HTTP/1.1 200 OK\r\n"
          + "Transfer-Encoding: chunked\r\n"
          + "\r\n"
          + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      try (RawHttp c = new RawHttp(t.port())) {
        c.send("GET /h HTTP/1.1\r\nHost: h\r\n\r\n");
        String head = c.readHead();
        assertEquals(200, RawHttp.statusOf(head), head);
        assertEquals(List.of("chunked"), RawHttp.headerLines(head, "Transfer-Encoding"), head);
        assertEquals("abcdefg", new String(c.readChunkedBody(), java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
  }

  @Test
  void repeatedSetCookieHeadersArriveAsSeparateLines() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> {
        req.response().headers()
            .add("Set-Cookie", "a=1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT")
            .add("Set-Cookie", "b=2; HttpOnly");
        req.response().end("ok");
      });
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      String r = RawHttp.responseTo(t.port(), "GET /cookies HTTP/1.1\r\nHost: h\r\n\r\n");
      assertEquals(200, RawHttp.statusOf(r), r);
      assertEquals(List.of("a=1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT", "b=2; HttpOnly"),
          RawHttp.headerLines(r, "Set-Cookie"), r);
    }
  }

  @Test
  void requestTargetPassesByteForByte() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      CompletableFuture<String> seen = new CompletableFuture<>();
      int backend = t.httpBackend(req -> {
        seen.complete(req.uri());
        req.response().end("ok");
      });
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      String target = "/a%20b/%C3%A9/x?q=%2F%zz&y=a+b&&z";
      String r = RawHttp.responseTo(t.port(), "GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n");
      assertEquals(200, RawHttp.statusOf(r), r);
      assertEquals(target, seen.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void headerNamesAreCaseInsensitiveForHopByHop() throws Exception {
    MultiMap h = headersSeenUpstream("GET /h HTTP/1.1\r\nHost: h\r\nCONNECTION: X-ONE ,x-two\r\nx-one: 1\r\n"
        + "X-Two: 2\r\nkEEP-aLIVE: timeout=1\r\nX-Three: 3\r\n\r\n");
    Map<String, String> lower = new java.util.HashMap<>();
    h.forEach(e -> lower.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
    assertFalse(lower.containsKey("x-one"), lower::toString);
    assertFalse(lower.containsKey("x-two"), lower::toString);
    assertFalse(lower.containsKey("keep-alive"), lower::toString);
    assertFalse(lower.containsKey("connection"), lower::toString);
    assertEquals("3", lower.get("x-three"));
  }

  @Test
  void repeatedForwardedForLinesAreKeptAsOneList() throws Exception {
    // Two lines are one list (RFC 9110 §5.3); the second must not be lost. Every hop but 1.2.3.4
    // is a trusted proxy, so the whole chain is verified and passed on.
    try (TestGateway t = TestGateway.create()) {
      CompletableFuture<MultiMap> seen = new CompletableFuture<>();
      int backend = t.httpBackend(req -> {
        seen.complete(HttpHeaders.headers().addAll(req.headers()));
        req.response().end("ok");
      });
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s")
          + "security: {trustedProxies: [127.0.0.1/32, 5.6.7.8, 9.9.9.0/24]}\n");
      assertEquals(200, RawHttp.statusOf(RawHttp.responseTo(t.port(), "GET /h HTTP/1.1\r\nHost: h\r\n"
          + "X-Forwarded-For: 1.2.3.4\r\nX-Forwarded-For: 5.6.7.8, 9.9.9.9\r\n\r\n")));
      assertEquals(List.of("1.2.3.4, 5.6.7.8, 9.9.9.9, 127.0.0.1"), seen.get(5, TimeUnit.SECONDS).getAll("X-Forwarded-For"));
    }
  }

  /**
   * Behind a trusted proxy (a TLS-terminating load balancer) the scheme and host the client used
   * are the proxy's to tell, and reach the service; malformed values are replaced by this hop's.
   */
  @Test
  void aTrustedProxysForwardedProtoAndHostArePassedOn() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      java.util.concurrent.LinkedBlockingQueue<MultiMap> seen = new java.util.concurrent.LinkedBlockingQueue<>();
      int backend = t.httpBackend(req -> {
        seen.add(HttpHeaders.headers().addAll(req.headers()));
        req.response().end("ok");
      });
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s") + "security: {trustedProxies: [127.0.0.1/32]}\n");
      assertEquals(200, RawHttp.statusOf(RawHttp.responseTo(t.port(), "GET /h HTTP/1.1\r\nHost: gw.internal\r\n"
          + "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: HTTPS, http\r\n"
          + "X-Forwarded-Host: portal.example.org\r\n\r\n")));
      MultiMap h = seen.poll(5, TimeUnit.SECONDS);
      assertEquals(List.of("https"), h.getAll("X-Forwarded-Proto"), "the client's hop, from the proxy");
      assertEquals(List.of("portal.example.org"), h.getAll("X-Forwarded-Host"));
      assertEquals(List.of("203.0.113.7, 127.0.0.1"), h.getAll("X-Forwarded-For"));

      assertEquals(200, RawHttp.statusOf(RawHttp.responseTo(t.port(), "GET /h HTTP/1.1\r\nHost: gw.internal\r\n"
          + "X-Forwarded-Proto: gopher\r\nX-Forwarded-Host: evil.example/<script>\r\n\r\n")));
      h = seen.poll(5, TimeUnit.SECONDS);
      assertEquals(List.of("http"), h.getAll("X-Forwarded-Proto"), "not a scheme the gateway passes on");
      assertEquals(List.of("gw.internal"), h.getAll("X-Forwarded-Host"), "not a host[:port]");
    }
  }

  @Test
  void untrustedClientsCannotPassForwardedForUpstream() throws Exception {
    // Without trusted proxies, whatever the client wrote is gone: a service reading the left-most
    // entry gets the address the gateway saw.
    MultiMap h = headersSeenUpstream("GET /h HTTP/1.1\r\nHost: h\r\n"
        + "X-Forwarded-For: 10.0.0.1\r\nX-Forwarded-For: 10.0.0.2, 10.0.0.3\r\n\r\n");
    assertEquals(List.of("127.0.0.1"), h.getAll("X-Forwarded-For"));
  }

  @Test
  void headersNamedOnASecondConnectionLineAreNotForwarded() throws Exception {
    MultiMap h = headersSeenUpstream("GET /h HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nConnection: X-Secret\r\n"
        + "X-Secret: s3cret\r\n\r\n");
    assertFalse(h.contains("X-Secret"), h::toString);
  }

  @Test
  void responseHeadersNamedOnASecondConnectionLineAreNotForwarded() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.rawHttpBackend(head -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
          + "Connection: keep-alive\r\nConnection: X-Backend-Secret\r\nX-Backend-Secret: s\r\n\r\nok");
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      String r = RawHttp.responseTo(t.port(), "GET /h HTTP/1.1\r\nHost: h\r\n\r\n");
      assertEquals(200, RawHttp.statusOf(r), r);
      assertNull(RawHttp.headerOf(r, "X-Backend-Secret"), r);
    }
  }
}
