package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin listener's health endpoints once the gateway has started. */
@Timeout(30)
class AdminHealthTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void liveAndReadyAnswer200WithJson() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().end("ok"));
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      assertTrue(t.adminPort() > 0 && t.adminPort() != t.port());
      for (String path : new String[] {"/health/live", "/health/ready"}) {
        HttpResponse<String> r = get(t.adminPort(), path);
        assertEquals(200, r.statusCode(), path);
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), path);
        assertEquals("{\"status\":\"UP\"}", r.body().replace(" ", ""), path);
      }
    }
  }

  @Test
  void healthIsNotOnThePublicPort() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().end("backend:" + req.path()));
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      // The public listener routes /health/ready like any other path: to the service.
      HttpResponse<String> r = get(t.port(), "/health/ready");
      assertEquals(200, r.statusCode());
      assertEquals("backend:/health/ready", r.body());
    }
  }

  @Test
  void readyTurnsDownAfterClose() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().end("ok"));
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      int admin = t.adminPort();
      assertEquals(200, get(admin, "/health/ready").statusCode());
      t.gateway.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      t.gateway = null;
      // Closed: the admin listener is gone too, so a connection is refused.
      try {
        HttpResponse<String> r = get(admin, "/health/ready");
        assertEquals(503, r.statusCode(), "a closed gateway must not report ready");
      } catch (java.net.ConnectException expected) {
        // refused: also not ready
      }
    }
  }

  @Test
  void unknownAdminPathIs404Problem() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().end("ok"));
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      HttpResponse<String> r = AdminApi.get(t.adminPort(), "/nope");
      assertEquals(404, r.statusCode());
      assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
    }
  }
}
