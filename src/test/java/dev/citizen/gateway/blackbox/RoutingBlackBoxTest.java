package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Path normalisation end to end: a path reaches only the route it really names, the service
 * receives the normalised path, and misses are RFC 9457 problems (404, 405 with Allow).
 */
@Timeout(30)
class RoutingBlackBoxTest {
  @AutoClose
  private static TestGateway t;
  private static TestGateway.RecordingBackend a;
  private static TestGateway.RecordingBackend b;
  private static TestGateway.RecordingBackend c;

  @BeforeAll
  static void start() throws Exception {
    t = TestGateway.create();
    a = t.recordingBackend("public");
    b = t.recordingBackend("internal");
    c = t.recordingBackend("other");
    t.startGateway("""
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
        %s%s%s
        routes:
          - {id: public, match: {path: /api/public/**}, service: a}
          - {id: internal, match: {path: /api/internal/**}, service: b}
          - {id: items, match: {path: "/items/{id}", methods: [GET, PUT]}, service: c}
          - {id: items-admin, match: {path: "/items/{id}", methods: [DELETE], headers: {X-Admin: "yes"}}, service: c}
          - {id: hosted, match: {path: /hosted/**, host: "*.example.org"}, service: c}
          - {id: strip, match: {path: /svc/**}, service: c, stripPrefix: /svc}
        """.formatted(TestGateway.service("a", a.port), TestGateway.service("b", b.port),
        TestGateway.service("c", c.port)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "/api/public/../internal/x",
      "/api/public/%2e%2e/internal/x",
      "/api/public/%2E%2E/internal/x",
      "/api/public/.%2e/internal/x",
      "/api/public/./../internal/x",
      "/api/public/x/../../internal/x",
      "/api/public/../../../api/internal/x",
      "//api//public//..//internal//x",
  })
  void dotSegmentsNeverReachTheServiceTheyStartIn(String target) throws Exception {
    int publicBefore = a.started.get();
    String response = get(target);
    assertEquals(200, RawHttp.statusOf(response), response);
    assertEquals("internal", RawHttp.headerOf(response, "X-Backend"), response);
    assertEquals("/api/internal/x", RawHttp.headerOf(response, "X-Seen-Uri"), "the service gets the normalised path");
    Thread.sleep(30);
    assertEquals(publicBefore, a.started.get(), "the public service saw nothing");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/api/%70ublic/x|public|/api/public/x",
      "/api/public/caf%C3%A9|public|/api/public/caf%C3%A9",
      "/api/public/a%20b%2fc%3F|public|n/a",
      "/api/public/x?q=%2e%2e/../y|public|/api/public/x?q=%2e%2e/../y",
      "/api/public/x?|public|/api/public/x?",
      "/svc/a/b?c=d|other|/a/b?c=d",
      "/svc|other|/",
      "/svc/../api/public/x|public|/api/public/x",
  })
  void servicesReceiveTheNormalisedPathAndTheRawQuery(String target, String service, String seen) throws Exception {
    String response = get(target);
    if (seen.equals("n/a")) {
      assertEquals(400, RawHttp.statusOf(response), "an encoded slash is refused: " + response);
      return;
    }
    assertEquals(200, RawHttp.statusOf(response), response);
    assertEquals(service, RawHttp.headerOf(response, "X-Backend"));
    assertEquals(seen, RawHttp.headerOf(response, "X-Seen-Uri"));
  }

  @Test
  void absoluteFormTargetIsNormalisedToo() throws Exception {
    String response = RawHttp.exchange(t.port(), "GET http://example.org/api/public/../internal/x HTTP/1.1\r\n"
        + "Host: example.org\r\nConnection: close\r\n\r\n", 3000);
    assertEquals(200, RawHttp.statusOf(response), response);
    assertEquals("internal", RawHttp.headerOf(response, "X-Backend"));
    assertEquals("/api/internal/x", RawHttp.headerOf(response, "X-Seen-Uri"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "/api/public/..%2Finternal",
      "/api/public/..%2finternal/x",
      "/api/public/..%5Cinternal",
      "/api/public/..%5cinternal",
      "/api/public/x%00",
      "/api/public/%zz",
      "/api/public/%2",
      "/api/public/..\\internal",
  })
  void ambiguousEncodingsAre400AndReachNoService(String target) throws Exception {
    int before = a.started.get() + b.started.get() + c.started.get();
    String response = get(target);
    assertEquals(400, RawHttp.statusOf(response), response);
    assertEquals("application/problem+json", RawHttp.headerOf(response, "Content-Type"));
    Thread.sleep(30);
    assertEquals(before, a.started.get() + b.started.get() + c.started.get());
  }

  @Test
  void encodedSlashIsAProblemWithCodeInvalidPath() throws Exception {
    String response = get("/api/public/..%2Finternal");
    JsonObject p = new JsonObject(RawHttp.bodyOf(response));
    assertEquals(400, p.getInteger("status"));
    assertEquals("invalid_path", p.getString("code"));
    assertEquals(RawHttp.headerOf(response, "X-Request-Id"), p.getString("requestId"));
  }

  @Test
  void noRouteIs404ProblemJson() throws Exception {
    String response = get("/nowhere");
    assertEquals(404, RawHttp.statusOf(response), response);
    assertEquals("application/problem+json", RawHttp.headerOf(response, "Content-Type"));
    JsonObject p = new JsonObject(RawHttp.bodyOf(response));
    assertEquals(404, p.getInteger("status"));
    assertEquals("no_route", p.getString("code"));
    assertEquals("Not Found", p.getString("title"));
    String requestId = p.getString("requestId");
    assertNotNull(requestId);
    assertEquals(RawHttp.headerOf(response, "X-Request-Id"), requestId);
    assertTrue(!response.contains("127.0.0.1"), "no upstream addresses leak: " + response);
  }

  @Test
  void clientRequestIdIsKeptInTheProblem() throws Exception {
    String response = RawHttp.exchange(t.port(), "GET /nowhere HTTP/1.1\r\nHost: h\r\nX-Request-Id: abc-123\r\n"
        + "Connection: close\r\n\r\n", 3000);
    assertEquals("abc-123", new JsonObject(RawHttp.bodyOf(response)).getString("requestId"));
    assertEquals("abc-123", RawHttp.headerOf(response, "X-Request-Id"));
  }

  @Test
  void prefixBoundaryIsASegment() throws Exception {
    assertEquals(404, RawHttp.statusOf(get("/api/publicity")));
    assertEquals(200, RawHttp.statusOf(get("/api/public")));
    assertEquals(200, RawHttp.statusOf(get("/api/public/")));
  }

  @Test
  void methodNotAllowedIs405WithAllow() throws Exception {
    int before = c.started.get();
    String response = RawHttp.exchange(t.port(), "POST /items/42 HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n"
        + "Connection: close\r\n\r\n", 3000);
    assertEquals(405, RawHttp.statusOf(response), response);
    assertEquals("GET, PUT", RawHttp.headerOf(response, "Allow"));
    JsonObject p = new JsonObject(RawHttp.bodyOf(response));
    assertEquals(405, p.getInteger("status"));
    assertEquals("method_not_allowed", p.getString("code"));
    assertEquals(200, RawHttp.statusOf(get("/items/42")));
    assertEquals(404, RawHttp.statusOf(get("/items/42/more")), "a template takes one segment");
    assertEquals(404, RawHttp.statusOf(get("/items/")), "a variable is never empty");
    Thread.sleep(30);
    assertEquals(before + 1, c.started.get(), "only the GET reached the service");
  }

  @Test
  void headerConditionWidensAllowOnlyWhenItMatches() throws Exception {
    String withHeader = RawHttp.exchange(t.port(), "PATCH /items/1 HTTP/1.1\r\nHost: h\r\nX-Admin: yes\r\n"
        + "Connection: close\r\n\r\n", 3000);
    assertEquals(405, RawHttp.statusOf(withHeader), withHeader);
    assertEquals("DELETE, GET, PUT", RawHttp.headerOf(withHeader, "Allow"));
    String del = RawHttp.exchange(t.port(), "DELETE /items/1 HTTP/1.1\r\nHost: h\r\nX-Admin: yes\r\n"
        + "Connection: close\r\n\r\n", 3000);
    assertEquals(200, RawHttp.statusOf(del), del);
  }

  @Test
  void wildcardHostRouteIgnoresPortAndCase() throws Exception {
    assertEquals(200, RawHttp.statusOf(getWithHost("/hosted/x", "api.example.org")));
    assertEquals(200, RawHttp.statusOf(getWithHost("/hosted/x", "API.Example.ORG:8443")));
    assertEquals(200, RawHttp.statusOf(getWithHost("/hosted/x", "a.b.example.org:80")));
    assertEquals(404, RawHttp.statusOf(getWithHost("/hosted/x", "example.org")));
    assertEquals(404, RawHttp.statusOf(getWithHost("/hosted/x", "evilexample.org")));
    assertEquals(404, RawHttp.statusOf(getWithHost("/hosted/x", "example.org.evil.net")));
  }

  private static String get(String target) throws Exception {
    return getWithHost(target, "example.org");
  }

  private static String getWithHost(String target, String host) throws Exception {
    return RawHttp.exchange(t.port(), "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n",
        3000);
  }
}
