package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-route client access over real sockets: IP allow and deny lists by CIDR (deny wins), over
 * IPv4 and IPv6 (the gateway listens on ::1 in one test), and bot refusal by User-Agent.
 * Refusals are 403 problem+json and never reach the service.
 */
@Timeout(30)
class ClientAccessBlackBoxTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static String config(String host, int backend, String routes) {
    return """
        server: {host: "%s", port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
        %sroutes:
        %s""".formatted(host, TestGateway.service("b", backend), routes);
  }

  private static HttpResponse<String> get(String url, String userAgent) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (userAgent != null) {
      b.header("User-Agent", userAgent);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertRefused(HttpResponse<String> r, String code) {
    assertEquals(403, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
    JsonObject problem = new JsonObject(r.body());
    assertEquals(code, problem.getString("code"));
    assertEquals(r.headers().firstValue("X-Request-Id").orElseThrow(), problem.getString("requestId"));
  }

  @Test
  void allowAndDenyByIpv4Cidr() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      AtomicInteger reached = new AtomicInteger();
      int backend = t.httpBackend(req -> {
        reached.incrementAndGet();
        req.response().end("ok");
      });
      t.startGateway(config("127.0.0.1", backend, """
            - {id: allowed, match: {path: /allowed/**}, service: b, clients: {allow: [127.0.0.0/8]}}
            - {id: elsewhere, match: {path: /elsewhere/**}, service: b, clients: {allow: [10.0.0.0/8, 192.0.2.7]}}
            - {id: denied, match: {path: /denied/**}, service: b, clients: {deny: [127.0.0.1/32]}}
            - id: both
              match: {path: /both/**}
              service: b
              clients: {allow: [127.0.0.0/8], deny: [127.0.0.1]}
            - {id: open, match: {path: /open/**}, service: b}
          """));
      assertEquals(200, get(t.url("/allowed/x"), null).statusCode());
      assertRefused(get(t.url("/elsewhere/x"), null), "client_forbidden");
      assertRefused(get(t.url("/denied/x"), null), "client_forbidden");
      assertRefused(get(t.url("/both/x"), null), "client_forbidden"); // deny wins
      assertEquals(200, get(t.url("/open/x"), null).statusCode());
      assertEquals(2, reached.get(), "refused requests never reach the service");
    }
  }

  @Test
  void allowAndDenyByIpv6Cidr() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().end("ok"));
      t.startGateway(config("::1", backend, """
            - {id: v6, match: {path: /v6/**}, service: b, clients: {allow: ["::1/128"]}}
            - {id: v6net, match: {path: /v6net/**}, service: b, clients: {allow: ["::/64"]}}
            - {id: v4only, match: {path: /v4only/**}, service: b, clients: {allow: [127.0.0.0/8, 0.0.0.0/0]}}
            - {id: nov6, match: {path: /nov6/**}, service: b, clients: {deny: ["::/0"]}}
            - {id: other, match: {path: /other/**}, service: b, clients: {allow: ["2001:db8::/32"]}}
          """));
      String base = "http://[::1]:" + t.port();
      assertEquals(200, get(base + "/v6/x", null).statusCode());
      assertEquals(200, get(base + "/v6net/x", null).statusCode());
      // IPv4 networks, even 0.0.0.0/0, do not hold an IPv6 client.
      assertRefused(get(base + "/v4only/x", null), "client_forbidden");
      assertRefused(get(base + "/nov6/x", null), "client_forbidden");
      assertRefused(get(base + "/other/x", null), "client_forbidden");
    }
  }

  @Test
  void botsAndMissingUserAgentsAreRefusedOrdinaryClientsPass() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      AtomicInteger reached = new AtomicInteger();
      int backend = t.httpBackend(req -> {
        reached.incrementAndGet();
        req.response().end("ok");
      });
      t.startGateway(config("127.0.0.1", backend, """
            - id: guarded
              match: {path: /guarded/**}
              service: b
              clients: {blockBots: true, botUserAgents: [EvilCrawler]}
            - {id: open, match: {path: /open/**}, service: b}
          """));
      assertRefused(get(t.url("/guarded/x"), "sqlmap/1.7.2#stable (https://sqlmap.org)"), "bot_refused");
      assertRefused(get(t.url("/guarded/x"), "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000001)"), "bot_refused");
      assertRefused(get(t.url("/guarded/x"), "Mozilla/5.0 (compatible; evilcrawler/2.0)"), "bot_refused");
      assertEquals(200, get(t.url("/guarded/x"), "curl/8.5.0").statusCode());
      assertEquals(200, get(t.url("/guarded/x"), "python-requests/2.31.0").statusCode());
      assertEquals(200, get(t.url("/guarded/x"), null).statusCode(), "the JDK client's own User-Agent");
      assertEquals(200, get(t.url("/open/x"), "sqlmap/1.7.2").statusCode(), "only where blockBots is on");

      // No User-Agent at all, and an empty one: raw requests, as no HTTP library sends them.
      String none = RawHttp.responseTo(t.port(), "GET /guarded/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
      assertEquals(403, RawHttp.statusOf(none), none);
      assertTrue(RawHttp.bodyOf(none).contains("\"code\":\"bot_refused\""), none);
      String empty = RawHttp.responseTo(t.port(),
          "GET /guarded/x HTTP/1.1\r\nHost: h\r\nUser-Agent: \r\nConnection: close\r\n\r\n");
      assertEquals(403, RawHttp.statusOf(empty), empty);
      String open = RawHttp.responseTo(t.port(), "GET /open/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
      assertEquals(200, RawHttp.statusOf(open), open);
      assertEquals(5, reached.get(), "refused requests never reach the service");
    }
  }
}
