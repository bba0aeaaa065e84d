package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CORS on the real gateway: preflights answered (204) or refused (403) without reaching the
 * service, actual responses with the origin, credentials and Vary, and the service's own CORS
 * headers replaced.
 */
@Timeout(30)
class CorsBlackBoxTest {
  private static final String APP = "https://app.example.org";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  @AutoClose
  private static TestGateway t;
  private static final AtomicInteger reached = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    t = TestGateway.create();
    // A service with CORS of its own, far too lax: every response allows any origin.
    int backend = t.httpBackend(req -> {
      reached.incrementAndGet();
      req.response().putHeader("Access-Control-Allow-Origin", "*")
          .putHeader("Access-Control-Allow-Methods", "GET, PUT, DELETE")
          .putHeader("Access-Control-Expose-Headers", "X-Internal")
          .putHeader("Vary", "Accept-Encoding")
          .end("ok");
    });
    t.startGateway("""
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
        %s
        routes:
          - id: app
            match: {path: /app/**}
            service: b
            cors:
              allowOrigins: ["%s", "https://*.example.net"]
              allowMethods: [GET, PUT]
              allowHeaders: [Content-Type, X-Trace]
              exposeHeaders: [X-Request-Id]
              allowCredentials: true
              maxAge: 5m
          - id: some-methods
            match: {path: /some/**, methods: [GET, OPTIONS]}
            service: b
            cors: {allowOrigins: ["%s"]}
          - id: limited
            match: {path: /limited/**}
            service: b
            cors: {allowOrigins: ["%s"]}
            rateLimit: {requests: 1, per: 10m}
          - id: small
            match: {path: /small/**}
            service: b
            maxBodyBytes: 16B
            cors: {allowOrigins: ["%s"], allowCredentials: true}
          - id: plain
            match: {path: /plain/**}
            service: b
        """.formatted(TestGateway.service("b", backend), APP, APP, APP, APP));
  }

  private static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.url(path))).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @Test
  void aBodyRefusedBeforeTheFiltersRunStillCarriesTheCorsHeaders() throws Exception {
    // The Content-Length alone is over the route's limit: 413 before any filter runs, the body unread.
    String allowed = RawHttp.responseTo(t.port(), "POST /small/x HTTP/1.1\r\nHost: h\r\nOrigin: " + APP
        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n");
    assertEquals(413, RawHttp.statusOf(allowed), allowed);
    assertEquals(APP, RawHttp.headerOf(allowed, "Access-Control-Allow-Origin"), allowed);
    assertEquals("true", RawHttp.headerOf(allowed, "Access-Control-Allow-Credentials"), allowed);
    assertTrue(RawHttp.headerOf(allowed, "Vary").contains("Origin"), allowed);
    String other = RawHttp.responseTo(t.port(), "POST /small/x HTTP/1.1\r\nHost: h\r\n"
        + "Origin: https://evil.example.com\r\nContent-Length: 100\r\n\r\n");
    assertEquals(413, RawHttp.statusOf(other), other);
    assertNull(RawHttp.headerOf(other, "Access-Control-Allow-Origin"), other);
    assertTrue(RawHttp.headerOf(other, "Vary").contains("Origin"), other);
  }

  @Test
  void anAllowedPreflightIs204WithTheCorsHeadersAndNeverReachesTheService() throws Exception {
    int before = reached.get();
    HttpResponse<String> r = send("OPTIONS", "/app/patients", "Origin", APP,
        "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type,x-trace");
    assertEquals(204, r.statusCode());
    assertEquals(APP, header(r, "Access-Control-Allow-Origin"));
    assertEquals("GET, PUT", header(r, "Access-Control-Allow-Methods"));
    assertEquals("Content-Type, X-Trace", header(r, "Access-Control-Allow-Headers"));
    assertEquals("true", header(r, "Access-Control-Allow-Credentials"));
    assertEquals("300", header(r, "Access-Control-Max-Age"));
    assertTrue(header(r, "Vary").contains("Origin"), header(r, "Vary"));
    assertEquals("", r.body());
    assertEquals(before, reached.get(), "a preflight is answered by the gateway");
  }

  @Test
  void aPatternOriginIsAllowed() throws Exception {
    HttpResponse<String> r = send("OPTIONS", "/app/x", "Origin", "https://portal.example.net",
        "Access-Control-Request-Method", "GET");
    assertEquals(204, r.statusCode());
    assertEquals("https://portal.example.net", header(r, "Access-Control-Allow-Origin"));
  }

  @Test
  void preflightsForOtherOriginsMethodsOrHeadersAre403WithoutCorsHeaders() throws Exception {
    int before = reached.get();
    List<String[]> refused = List.of(
        new String[] {"Origin", "https://evil.example.com", "Access-Control-Request-Method", "GET"},
        new String[] {"Origin", "https://example.net", "Access-Control-Request-Method", "GET"},
        new String[] {"Origin", APP, "Access-Control-Request-Method", "DELETE"},
        new String[] {"Origin", APP, "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers",
            "content-type, x-api-secret"});
    for (String[] h : refused) {
      HttpResponse<String> r = send("OPTIONS", "/app/x", h);
      assertEquals(403, r.statusCode(), String.join(" ", h));
      assertEquals("cors_rejected", new JsonObject(r.body()).getString("code"));
      assertNull(header(r, "Access-Control-Allow-Origin"));
      assertNull(header(r, "Access-Control-Allow-Methods"));
    }
    assertEquals(before, reached.get());
  }

  @Test
  void anActualRequestFromAnAllowedOriginGetsItsOriginBackAndTheServicesCorsHeadersAreReplaced() throws Exception {
    HttpResponse<String> r = send("GET", "/app/x", "Origin", APP);
    assertEquals(200, r.statusCode());
    assertEquals(List.of(APP), r.headers().allValues("Access-Control-Allow-Origin"));
    assertEquals("true", header(r, "Access-Control-Allow-Credentials"));
    assertEquals(List.of("X-Request-Id"), r.headers().allValues("Access-Control-Expose-Headers"));
    assertNull(header(r, "Access-Control-Allow-Methods"), "the service's own CORS headers are dropped");
    assertTrue(r.headers().allValues("Vary").contains("Origin"), r.headers().allValues("Vary").toString());
    assertTrue(r.headers().allValues("Vary").contains("Accept-Encoding"), "the service's Vary is kept");
  }

  @Test
  void otherOriginsAndRequestsWithoutOneGetNoCorsHeadersButVary() throws Exception {
    for (HttpResponse<String> r : List.of(send("GET", "/app/x", "Origin", "https://evil.example.com"),
        send("GET", "/app/x"))) {
      assertEquals(200, r.statusCode());
      assertNull(header(r, "Access-Control-Allow-Origin"), "not even the service's *");
      assertNull(header(r, "Access-Control-Allow-Credentials"));
      assertNull(header(r, "Access-Control-Expose-Headers"));
      assertTrue(r.headers().allValues("Vary").contains("Origin"));
    }
  }

  @Test
  void aRouteWithListedMethodsTakesPreflightsWhenItListsOptions() throws Exception {
    HttpResponse<String> r = send("OPTIONS", "/some/x", "Origin", APP, "Access-Control-Request-Method", "GET");
    assertEquals(204, r.statusCode());
    assertEquals(APP, header(r, "Access-Control-Allow-Origin"));
    assertFalse(r.headers().firstValue("Access-Control-Allow-Credentials").isPresent());
  }

  @Test
  void theGatewaysOwn429CarriesCorsHeadersSoThePageCanReadIt() throws Exception {
    send("GET", "/limited/x", "Origin", APP);
    HttpResponse<String> r = send("GET", "/limited/x", "Origin", APP);
    assertEquals(429, r.statusCode());
    assertEquals(APP, header(r, "Access-Control-Allow-Origin"));
  }

  @Test
  void routesWithoutCorsLeaveTheServicesHeadersAlone() throws Exception {
    HttpResponse<String> r = send("GET", "/plain/x", "Origin", APP);
    assertEquals("*", header(r, "Access-Control-Allow-Origin"));
    assertEquals(List.of("Accept-Encoding"), r.headers().allValues("Vary"));
  }
}
