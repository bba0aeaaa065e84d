package dev.citizen.gateway.filter.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.config.CorsConfig;
import dev.citizen.gateway.filter.Next;
import dev.citizen.gateway.filter.Response;
import dev.citizen.gateway.filter.TestExchanges;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Origin matching, preflight answers and the headers of actual responses, with a fake Next. */
@Timeout(10)
class CorsFilterTest {
  private final AtomicInteger forwarded = new AtomicInteger();
  private final Next service = ex -> {
    forwarded.incrementAndGet();
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    h.add("Access-Control-Allow-Origin", "*"); // a service with its own, too lax, CORS
    h.add("Access-Control-Allow-Methods", "DELETE");
    h.add("Vary", "Accept-Encoding");
    return Future.succeededFuture(Response.buffered(200, h, null));
  };

  private static CorsFilter filter(List<String> origins, boolean credentials) {
    return new CorsFilter(new CorsConfig(origins, List.of("GET", "PUT"), List.of("Content-Type", "X-Trace"),
        List.of("X-Request-Id"), credentials, Duration.ofMinutes(5)));
  }

  private Response send(CorsFilter f, String method, Map<String, String> headers) {
    return f.handle(TestExchanges.exchange(method, headers, "10.0.0.1"), service).result();
  }

  private static Map<String, String> preflight(String origin, String method, String headers) {
    return headers == null ? Map.of("Origin", origin, "Access-Control-Request-Method", method)
        : Map.of("Origin", origin, "Access-Control-Request-Method", method, "Access-Control-Request-Headers", headers);
  }

  @Test
  void anAllowedPreflightIsAnsweredWith204AndNeverForwarded() {
    Response r = send(filter(List.of("https://app.example.org"), true), "OPTIONS",
        preflight("https://app.example.org", "PUT", "content-type, x-trace"));
    assertEquals(204, r.status());
    assertEquals("https://app.example.org", r.headers().get("Access-Control-Allow-Origin"));
    assertEquals("GET, PUT", r.headers().get("Access-Control-Allow-Methods"));
    assertEquals("Content-Type, X-Trace", r.headers().get("Access-Control-Allow-Headers"));
    assertEquals("true", r.headers().get("Access-Control-Allow-Credentials"));
    assertEquals("300", r.headers().get("Access-Control-Max-Age"));
    assertTrue(r.headers().get("Vary").contains("Origin"));
    assertEquals(0, forwarded.get());
  }

  @Test
  void preflightsForAnotherOriginMethodOrHeaderAre403() {
    CorsFilter f = filter(List.of("https://app.example.org"), false);
    Response origin = send(f, "OPTIONS", preflight("https://evil.example.com", "PUT", null));
    assertEquals(403, origin.status());
    assertEquals("cors_rejected", origin.problem().code());
    assertTrue(origin.problem().detail().contains("origin"));
    assertNull(origin.headers().get("Access-Control-Allow-Origin"));
    Response method = send(f, "OPTIONS", preflight("https://app.example.org", "DELETE", null));
    assertEquals(403, method.status());
    assertTrue(method.problem().detail().contains("DELETE"));
    Response header = send(f, "OPTIONS", preflight("https://app.example.org", "PUT", "content-type, x-secret"));
    assertEquals(403, header.status());
    assertTrue(header.problem().detail().contains("x-secret"));
    assertEquals(0, forwarded.get());
  }

  @Test
  void anActualRequestFromAnAllowedOriginGetsTheOriginBackAndTheServicesCorsHeadersGo() {
    Response r = send(filter(List.of("https://app.example.org"), true), "GET",
        Map.of("Origin", "https://app.example.org"));
    assertEquals(200, r.status());
    assertEquals(List.of("https://app.example.org"), r.headers().getAll("Access-Control-Allow-Origin"));
    assertEquals("true", r.headers().get("Access-Control-Allow-Credentials"));
    assertEquals("X-Request-Id", r.headers().get("Access-Control-Expose-Headers"));
    assertNull(r.headers().get("Access-Control-Allow-Methods"), "the service's CORS headers are not passed on");
    assertEquals(List.of("Accept-Encoding", "Origin"), r.headers().getAll("Vary"));
  }

  @Test
  void otherOriginsAndRequestsWithoutOriginGetNoCorsHeadersButVary() {
    CorsFilter f = filter(List.of("https://app.example.org"), false);
    for (Map<String, String> h : List.of(Map.of("Origin", "https://evil.example.com"), Map.<String, String>of())) {
      Response r = send(f, "GET", h);
      assertEquals(200, r.status(), "CORS shares responses; it does not block requests");
      assertNull(r.headers().get("Access-Control-Allow-Origin"));
      assertNull(r.headers().get("Access-Control-Allow-Credentials"));
      assertTrue(r.headers().getAll("Vary").contains("Origin"));
    }
  }

  @Test
  void aPlainOptionsRequestIsForwarded() {
    Response r = send(filter(List.of("https://app.example.org"), false), "OPTIONS",
        Map.of("Origin", "https://app.example.org"));
    assertEquals(200, r.status());
    assertEquals(1, forwarded.get());
  }

  @Test
  void anyOriginIsEchoedNotStarred() {
    Response r = send(filter(List.of("*"), false), "GET", Map.of("Origin", "https://anyone.test"));
    assertEquals("https://anyone.test", r.headers().get("Access-Control-Allow-Origin"));
  }

  @Test
  void aStarInAllowHeadersEchoesTheRequestedHeaders() {
    CorsFilter f = new CorsFilter(new CorsConfig(List.of("https://a.test"), null, List.of("*"), null, null, null));
    Response r = send(f, "OPTIONS", preflight("https://a.test", "POST", "x-one, x-two"));
    assertEquals(204, r.status());
    assertEquals("x-one, x-two", r.headers().get("Access-Control-Allow-Headers"));
    assertEquals("600", r.headers().get("Access-Control-Max-Age"), "default 10m");
  }

  @Test
  void originMatching() {
    CorsPolicy p = new CorsPolicy(new CorsConfig(List.of("https://App.Example.org:443", "https://*.example.net",
        "http://localhost:3000"), null, null, null, null, null));
    assertTrue(p.allowsOrigin("https://app.example.org"), "case and the default port do not matter");
    assertTrue(p.allowsOrigin("HTTPS://APP.EXAMPLE.ORG"));
    assertFalse(p.allowsOrigin("http://app.example.org"), "the scheme does");
    assertFalse(p.allowsOrigin("https://app.example.org.evil.com"));
    assertTrue(p.allowsOrigin("https://a.example.net"));
    assertTrue(p.allowsOrigin("https://a.b.example.net"));
    assertFalse(p.allowsOrigin("https://example.net"), "a subdomain pattern is not the domain itself");
    assertFalse(p.allowsOrigin("https://evilexample.net"));
    assertFalse(p.allowsOrigin("https://.example.net"));
    assertFalse(p.allowsOrigin("https://a.example.net:8443"), "the pattern has no port");
    assertFalse(p.allowsOrigin("https://x@a.example.net"));
    assertTrue(p.allowsOrigin("http://localhost:3000"));
    assertFalse(p.allowsOrigin("http://localhost:3001"));
    assertFalse(p.allowsOrigin("null"));
  }
}
