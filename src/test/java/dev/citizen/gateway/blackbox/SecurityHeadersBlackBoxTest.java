package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Security response headers on the real gateway, read from raw response heads: the defaults on
 * proxied answers and on every kind of gateway-made one, a route's overrides, the service's
 * disclosing headers dropped, and no Server header or product name from the gateway anywhere.
 */
@Timeout(30)
class SecurityHeadersBlackBoxTest {
  private static final List<String> DISCLOSING = List.of("Server", "X-Powered-By", "X-AspNet-Version",
      "X-AspNetMvc-Version", "X-Runtime", "X-Version", "X-Generator", "Via", "X-Backend-Host");
  @AutoClose
  private static TestGateway t;

  @BeforeAll
  static void start() throws Exception {
    t = TestGateway.create();
    // A service that names its whole stack and sets weak security headers of its own.
    int backend = t.rawHttpBackend(head -> "HTTP/1.1 200 OK\r\n"
        + "Server: Apache/2.4.58 (Ubuntu)\r\nX-Powered-By: PHP/8.2.12\r\nX-AspNet-Version: 4.0.30319\r\n"
        + "X-AspNetMvc-Version: 5.2\r\nX-Runtime: 0.012\r\nX-Version: 3.1.4\r\nX-Generator: Drupal 10\r\n"
        + "Via: 1.1 squid-internal-7\r\nX-Backend-Host: db-7.internal\r\n"
        + "X-Frame-Options: ALLOWALL\r\nReferrer-Policy: unsafe-url\r\nX-Content-Type-Options: none\r\n"
        + "Content-Security-Policy: default-src 'self'\r\n"
        + "Content-Length: 2\r\n\r\nok");
    t.startGateway("""
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        security:
          headers: {removeHeaders: [X-Backend-Host]}
        services:
        %s
          down:
            endpoints: [{url: "http://127.0.0.1:%d"}]
            timeouts: {connect: 1s, response: 5s}
        routes:
          - {id: svc, match: {path: /svc/**}, service: b}
          - id: embed
            match: {path: /embed/**}
            service: b
            headers: {frameOptions: SAMEORIGIN, referrerPolicy: "", contentTypeOptions: ""}
          - {id: small, match: {path: /small/**}, service: b, maxBodyBytes: 16B}
          - {id: limited, match: {path: /limited/**}, service: b, rateLimit: {requests: 1, per: 10m}}
          - {id: get-only, match: {path: /get/**, methods: [GET]}, service: b}
          - {id: down, match: {path: /down/**}, service: down, retries: {attempts: 1}}
        """.formatted(TestGateway.service("b", backend), TestGateway.refusingPort()));
  }

  private static String get(String path) throws Exception {
    return RawHttp.responseTo(t.port(), "GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n");
  }

  /** The default headers, exactly once each, and nothing naming software. */
  private static void assertDefaults(String raw) {
    assertEquals(List.of("nosniff"), headerLines(raw, "X-Content-Type-Options"), raw);
    assertEquals(List.of("DENY"), headerLines(raw, "X-Frame-Options"), raw);
    assertEquals(List.of("strict-origin-when-cross-origin"), headerLines(raw, "Referrer-Policy"), raw);
    assertEquals(1, headerLines(raw, "Content-Security-Policy").size(), raw);
    assertNull(RawHttp.headerOf(raw, "Strict-Transport-Security"), "no HSTS over plain HTTP");
    assertDiscloses(raw, false);
  }

  private static void assertDiscloses(String raw, boolean expected) {
    for (String name : DISCLOSING) {
      assertEquals(expected, RawHttp.headerOf(raw, name) != null, name + " in " + raw);
    }
    String lower = raw.toLowerCase(Locale.ROOT);
    for (String product : List.of("vert.x", "vertx", "netty", "citizen", "java")) {
      assertFalse(lower.contains(product), "the answer names " + product + ": " + raw);
    }
  }

  private static List<String> headerLines(String raw, String name) {
    return RawHttp.headerLines(raw, name);
  }

  @Test
  void aProxiedAnswerGetsTheDefaultsAndLosesTheServicesDisclosingHeaders() throws Exception {
    String raw = get("/svc/x");
    assertEquals(200, RawHttp.statusOf(raw), raw);
    assertDefaults(raw);
    assertEquals(List.of("default-src 'self'"), headerLines(raw, "Content-Security-Policy"),
        "the service's own CSP is kept");
  }

  @Test
  void aRouteOverridesAndRemovesHeaders() throws Exception {
    String raw = get("/embed/x");
    assertEquals(List.of("SAMEORIGIN"), headerLines(raw, "X-Frame-Options"), raw);
    assertEquals(List.of("unsafe-url"), headerLines(raw, "Referrer-Policy"),
        "removed on the route: the service's own value passes");
    assertEquals(List.of("none"), headerLines(raw, "X-Content-Type-Options"));
    assertDiscloses(raw, false);
  }

  @Test
  void gatewayMadeAnswersGetTheDefaultsToo() throws Exception {
    String noRoute = get("/nowhere");
    assertEquals(404, RawHttp.statusOf(noRoute));
    assertDefaults(noRoute);
    assertEquals(List.of("frame-ancestors 'none'"), headerLines(noRoute, "Content-Security-Policy"));

    String notAllowed = RawHttp.responseTo(t.port(), "DELETE /get/x HTTP/1.1\r\nHost: h\r\n\r\n");
    assertEquals(405, RawHttp.statusOf(notAllowed));
    assertDefaults(notAllowed);

    String tooLarge = RawHttp.exchange(t.port(), "POST /small/x HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n",
        3000);
    assertEquals(413, RawHttp.statusOf(tooLarge));
    assertDefaults(tooLarge);

    get("/limited/x");
    String limited = get("/limited/x");
    assertEquals(429, RawHttp.statusOf(limited));
    assertDefaults(limited);

    String down = get("/down/x");
    assertEquals(502, RawHttp.statusOf(down), down);
    assertDefaults(down);

    String badPath = get("/svc/a%2Fb");
    assertEquals(400, RawHttp.statusOf(badPath), badPath);
    assertDefaults(badPath);
  }

  @Test
  void theRequestGuardsOwnErrorsCarryThemToo() throws Exception {
    String raw = RawHttp.exchange(t.port(), "GET /svc/x HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n", 3000);
    assertEquals(400, RawHttp.statusOf(raw), raw);
    assertDefaults(raw);
  }

  @Test
  void theAdminListenerNamesNoSoftwareEither() throws Exception {
    for (String path : List.of("/health/live", "/no-such-endpoint")) {
      String raw = RawHttp.responseTo(t.adminPort(), "GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n");
      assertTrue(RawHttp.statusOf(raw) > 0, raw);
      assertDiscloses(raw, false);
    }
  }
}
