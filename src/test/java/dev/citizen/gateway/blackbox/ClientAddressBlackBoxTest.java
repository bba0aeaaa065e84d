package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who the client is, over real sockets: the tests connect from 127.0.0.1, which is a trusted proxy
 * in some configs and an ordinary client in others. X-Forwarded-For is believed only from a
 * trusted proxy, walked right to left past trusted hops; a client's own is ignored by the lists,
 * the access log and the service, which gets the verified chain only.
 */
@Timeout(30)
class ClientAddressBlackBoxTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** A backend that records the X-Forwarded-For it gets (or "-"). */
  private static int xffBackend(TestGateway t, Queue<String> seen) throws Exception {
    return t.httpBackend(req -> {
      String xff = req.getHeader("X-Forwarded-For");
      seen.add(xff == null ? "-" : xff);
      req.response().end("ok");
    });
  }

  /** Two routes to one backend: /open/** for everyone, /closed/** denying 203.0.113.0/24. */
  private static String config(int backend, String trustedProxies) {
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
        %sroutes:
          - {id: open, match: {path: /open/**}, service: b}
          - id: closed
            match: {path: /closed/**}
            service: b
            clients: {deny: [203.0.113.0/24]}
          - id: only
            match: {path: /only/**}
            service: b
            clients: {allow: [203.0.113.7]}
        security:
          trustedProxies: %s
        """.formatted(TestGateway.service("b", backend), trustedProxies);
  }

  private static HttpResponse<String> get(TestGateway t, String path, String xff) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.url(path))).timeout(Duration.ofSeconds(10));
    if (xff != null) {
      b.header("X-Forwarded-For", xff);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The access line of the request with this path, as JSON. */
  private static JsonObject accessLine(LogCapture access, String path) throws InterruptedException {
    LogCapture.Line line = access.await(5000, l -> l.message().contains("\"path\":\"" + path + "\""));
    assertNotNull(line, "no access line for " + path + ": " + access.lines);
    return new JsonObject(line.message());
  }

  @Test
  void fromAnUntrustedPeerXForwardedForIsNotBelieved() throws Exception {
    try (TestGateway t = TestGateway.create(); LogCapture access = LogCapture.of("access")) {
      Queue<String> seen = new ConcurrentLinkedQueue<>();
      t.startGateway(config(xffBackend(t, seen), "[]"));

      // The deny list does not see the spoofed address, the allow list does not let it in.
      assertEquals(200, get(t, "/closed/spoofed", "203.0.113.7").statusCode());
      HttpResponse<String> only = get(t, "/only/spoofed", "203.0.113.7");
      assertEquals(403, only.statusCode());
      assertEquals("client_forbidden", new JsonObject(only.body()).getString("code"));
      // The access log names the peer, and the service gets the peer alone, not the client's list.
      assertEquals("127.0.0.1", accessLine(access, "/closed/spoofed").getString("client"));
      assertEquals("127.0.0.1", seen.poll());
      assertEquals(200, get(t, "/open/x", "6.6.6.6, 203.0.113.7").statusCode());
      assertEquals("127.0.0.1", seen.poll());
    }
  }

  @Test
  void fromATrustedProxyTheForwardedClientCounts() throws Exception {
    try (TestGateway t = TestGateway.create(); LogCapture access = LogCapture.of("access")) {
      Queue<String> seen = new ConcurrentLinkedQueue<>();
      t.startGateway(config(xffBackend(t, seen), "[127.0.0.1/32]"));

      HttpResponse<String> closed = get(t, "/closed/forwarded", "203.0.113.7");
      assertEquals(403, closed.statusCode());
      assertEquals("application/problem+json", closed.headers().firstValue("Content-Type").orElseThrow());
      assertEquals("client_forbidden", new JsonObject(closed.body()).getString("code"));
      assertEquals("203.0.113.7", accessLine(access, "/closed/forwarded").getString("client"));
      assertEquals(200, get(t, "/only/forwarded", "203.0.113.7").statusCode());
      assertEquals("203.0.113.7, 127.0.0.1", seen.poll(), "the verified chain goes upstream");
      // Without X-Forwarded-For the trusted proxy itself is the client.
      assertEquals(200, get(t, "/closed/direct", null).statusCode());
      assertEquals("127.0.0.1", accessLine(access, "/closed/direct").getString("client"));
      assertEquals("127.0.0.1", seen.poll());
    }
  }

  @Test
  void rightMostUntrustedAddressIsTheClient() throws Exception {
    try (TestGateway t = TestGateway.create(); LogCapture access = LogCapture.of("access")) {
      Queue<String> seen = new ConcurrentLinkedQueue<>();
      t.startGateway(config(xffBackend(t, seen), "[127.0.0.1/32, 10.0.0.0/8]"));

      // 6.6.6.6 is what the client claimed; 203.0.113.7 is what the first trusted proxy saw.
      assertEquals(200, get(t, "/only/walk", "6.6.6.6, 203.0.113.7, 10.1.1.1").statusCode());
      assertEquals("203.0.113.7", accessLine(access, "/only/walk").getString("client"));
      assertEquals("203.0.113.7, 10.1.1.1, 127.0.0.1", seen.poll(), "entries left of the client are dropped");
      // A claimed address in the allow list does not help when the proxy saw another client.
      assertEquals(403, get(t, "/only/claim", "203.0.113.7, 198.51.100.1, 10.1.1.1").statusCode());
      assertEquals("198.51.100.1", accessLine(access, "/only/claim").getString("client"));
      // Garbage stops the walk at the proxy that passed it on.
      assertEquals(200, get(t, "/open/garbage", "203.0.113.7, unknown, 10.1.1.1").statusCode());
      assertEquals("10.1.1.1", accessLine(access, "/open/garbage").getString("client"));
      assertEquals("10.1.1.1, 127.0.0.1", seen.poll());
    }
  }
}
