package dev.citizen.gateway.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The router on fake requests: a dynamic proxy of {@link HttpServerRequest} that answers only what
 * Route and Router ask (method, authority, headers); anything else fails the test loudly.
 */
@Timeout(5)
class RouterTest {

  // ------------------------------------------------------------------ precedence

  @Test
  void exactBeatsTemplateBeatsPrefixWhateverTheFileOrder() {
    Router router = router(
        route("prefix", "/a/**"),
        route("template", "/a/{id}"),
        route("exact", "/a/b"));
    assertEquals("exact", match(router, "GET", "/a/b"));
    assertEquals("template", match(router, "GET", "/a/c"));
    assertEquals("prefix", match(router, "GET", "/a/c/d"));
    assertEquals("prefix", match(router, "GET", "/a"));
    assertEquals(List.of("exact", "template", "prefix"), ids(router));
  }

  @Test
  void longerLiteralFirstWithinAKind() {
    Router router = router(
        route("root", "/**"),
        route("api", "/api/**"),
        route("patients", "/api/patients/**"),
        route("t1", "/api/{x}/{y}"),
        route("t2", "/api/patients/{id}"));
    assertEquals("patients", match(router, "GET", "/api/patients/x/y"));
    assertEquals("t2", match(router, "GET", "/api/patients/1"));
    assertEquals("t1", match(router, "GET", "/api/other/1"));
    assertEquals("api", match(router, "GET", "/api/other"));
    assertEquals("root", match(router, "GET", "/other"));
    assertEquals("root", match(router, "GET", "/apix"));
  }

  @Test
  void fileOrderBreaksTies() {
    Router router = router(
        route("first", "/a/{x}"),
        route("second", "/a/{y}"));
    assertEquals("first", match(router, "GET", "/a/1"));
    Router reversed = router(
        route("second", "/a/{y}"),
        route("first", "/a/{x}"));
    assertEquals("second", match(reversed, "GET", "/a/1"));
  }

  @Test
  void noRouteIsNull() {
    Router router = router(route("a", "/a/**"));
    assertNull(router.match(request("GET", "h", Map.of()), "/b"));
    assertNull(new Router(List.of()).match(request("GET", "h", Map.of()), "/"));
  }

  // ------------------------------------------------------------------ conditions

  @Test
  void methodsRestrictAndTheNextRouteGetsItsTurn() {
    Router router = router(
        route("read", "/a/**").methods("GET", "HEAD"),
        route("fallback", "/**"));
    assertEquals("read", match(router, "GET", "/a/1"));
    assertEquals("read", match(router, "HEAD", "/a/1"));
    assertEquals("fallback", match(router, "POST", "/a/1"));
  }

  @Test
  void exactHostIsCaseInsensitiveAndIgnoresThePort() {
    Router router = router(route("api", "/**").host("api.example.org"));
    assertEquals("api", matchHost(router, "api.example.org", -1));
    assertEquals("api", matchHost(router, "API.Example.ORG", 8443));
    assertNull(matchHostRoute(router, "www.example.org", -1));
    assertNull(matchHostRoute(router, "api.example.org.evil", -1));
    assertNull(matchHostRoute(router, null, -1), "no Host (HTTP/1.0) never matches a host condition");
  }

  @Test
  void wildcardHostMatchesOneOrMoreLeadingLabels() {
    Router router = router(route("wild", "/**").host("*.example.org"));
    assertEquals("wild", matchHost(router, "api.example.org", -1));
    assertEquals("wild", matchHost(router, "a.b.example.org", 80));
    assertEquals("wild", matchHost(router, "API.EXAMPLE.ORG", 443));
    assertNull(matchHostRoute(router, "example.org", -1), "the apex itself is not matched");
    assertNull(matchHostRoute(router, "badexample.org", -1));
    assertNull(matchHostRoute(router, "example.org.evil", -1));
    assertNull(matchHostRoute(router, ".example.org", -1));
  }

  @Test
  void hostSpecificRouteWinsOnlyForItsHost() {
    Router router = router(
        route("any", "/api/**"),
        route("tenant", "/api/**").host("acme.example.org"));
    // Same pattern: file order decides, so "any" (first) takes everything.
    assertEquals("any", matchHost(router, "acme.example.org", -1));
    Router specificFirst = router(
        route("tenant", "/api/**").host("acme.example.org"),
        route("any", "/api/**"));
    assertEquals("tenant", matchHost(specificFirst, "acme.example.org", -1));
    assertEquals("any", matchHost(specificFirst, "other.example.org", -1));
  }

  @Test
  void headersMustAllMatchExactly() {
    Router router = router(
        route("acme", "/**").headers(Map.of("X-Tenant", "acme", "X-Version", "2")),
        route("other", "/**"));
    assertEquals("acme", route(router, request("GET", "h", Map.of("x-tenant", "acme", "X-Version", "2")), "/a"));
    assertEquals("other", route(router, request("GET", "h", Map.of("X-Tenant", "acme")), "/a"));
    assertEquals("other", route(router, request("GET", "h", Map.of("X-Tenant", "ACME", "X-Version", "2")), "/a"),
        "values are case-sensitive");
    assertEquals("other", route(router, request("GET", "h", Map.of()), "/a"));
  }

  // ------------------------------------------------------------------ 405

  @Test
  void allowedMethodsForA405() {
    Router router = router(
        route("read", "/a/**").methods("GET", "HEAD"),
        route("write", "/a/{id}").methods("PUT", "DELETE"),
        route("other", "/b/**").methods("POST"));
    var req = request("PATCH", "h", Map.of());
    assertNull(router.match(req, "/a/1"));
    assertEquals(Set.of("GET", "HEAD", "PUT", "DELETE"), router.allowedMethods(req, "/a/1"));
    assertEquals(Set.of("GET", "HEAD"), router.allowedMethods(req, "/a/1/2"));
    assertEquals(Set.of(), router.allowedMethods(req, "/c"), "no path match: 404, not 405");
    assertEquals(List.of("DELETE", "GET", "HEAD", "PUT"), List.copyOf(router.allowedMethods(req, "/a/1")),
        "sorted, for a stable Allow header");
  }

  @Test
  void allowedMethodsIgnoreRoutesForOtherHostsOrHeaders() {
    Router router = router(
        route("other-host", "/a/**").methods("DELETE").host("admin.example.org"),
        route("other-header", "/a/**").methods("PUT").headers(Map.of("X-Admin", "1")),
        route("read", "/a/**").methods("GET"));
    var req = request("POST", "api.example.org", Map.of());
    assertEquals(Set.of("GET"), router.allowedMethods(req, "/a/x"));
  }

  // ------------------------------------------------------------------ upstream path

  @Test
  void stripPrefixOnlyAtASegmentBoundary() {
    Route r = route("r", "/api/**").strip("/api").build(0);
    assertEquals("/patients/1", r.upstreamPath("/api/patients/1"));
    assertEquals("/", r.upstreamPath("/api"));
    assertEquals("/", r.upstreamPath("/api/"));
    assertEquals("/apix", r.upstreamPath("/apix"));
    assertEquals("/other", r.upstreamPath("/other"));
    assertEquals("/x", route("n", "/**").build(0).upstreamPath("/x"));
  }

  // ------------------------------------------------------------------ helpers

  private static final class RouteSpec {
    final String id;
    final String pattern;
    Set<String> methods = new LinkedHashSet<>();
    String host;
    Map<String, String> headers = Map.of();
    String strip;

    RouteSpec(String id, String pattern) {
      this.id = id;
      this.pattern = pattern;
    }

    RouteSpec methods(String... m) {
      methods = new LinkedHashSet<>(List.of(m));
      return this;
    }

    RouteSpec host(String h) {
      host = h;
      return this;
    }

    RouteSpec headers(Map<String, String> h) {
      headers = h;
      return this;
    }

    RouteSpec strip(String s) {
      strip = s;
      return this;
    }

    Route build(int order) {
      return new Route(id, order, PathPattern.compile(pattern), methods, host, headers, null, strip, 1024,
          false, List.of(), null);
    }
  }

  private static RouteSpec route(String id, String pattern) {
    return new RouteSpec(id, pattern);
  }

  private static Router router(RouteSpec... specs) {
    List<Route> routes = new ArrayList<>();
    for (int i = 0; i < specs.length; i++) {
      routes.add(specs[i].build(i));
    }
    return new Router(routes);
  }

  private static List<String> ids(Router router) {
    return router.routes().stream().map(Route::id).toList();
  }

  private static String match(Router router, String method, String path) {
    return route(router, request(method, "h", Map.of()), path);
  }

  private static String matchHost(Router router, String host, int port) {
    String id = matchHostRoute(router, host, port);
    if (id == null) {
      throw new AssertionError("no route for host " + host);
    }
    return id;
  }

  private static String matchHostRoute(Router router, String host, int port) {
    HostAndPort authority = host == null ? null : HostAndPort.create(host, port);
    return route(router, fake(HttpMethod.valueOf("GET"), authority, Map.of()), "/api/x");
  }

  private static String route(Router router, HttpServerRequest req, String path) {
    Route r = router.match(req, path);
    return r == null ? null : r.id();
  }

  private static HttpServerRequest request(String method, String host, Map<String, String> headers) {
    return fake(HttpMethod.valueOf(method), HostAndPort.create(host, -1), headers);
  }

  private static HttpServerRequest fake(HttpMethod method, HostAndPort authority, Map<String, String> headers) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(h::add);
    return (HttpServerRequest) Proxy.newProxyInstance(RouterTest.class.getClassLoader(),
        new Class<?>[] {HttpServerRequest.class}, (proxy, m, args) -> switch (m.getName()) {
          case "method" -> method;
          case "authority" -> authority;
          case "headers" -> h;
          case "getHeader" -> h.get(args[0].toString());
          case "toString" -> "fake " + method + " " + authority;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException("the router should not need " + m);
        });
  }
}
