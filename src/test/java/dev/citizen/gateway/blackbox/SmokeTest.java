package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class SmokeTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void routesAGetToTheBackendAndBack() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().putHeader("X-Seen-Path", req.uri()).end("hello"));
      t.startGateway(TestGateway.simpleConfig(backend));
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(t.url("/a/b?x=1"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertEquals("hello", r.body());
      assertEquals("/a/b?x=1", r.headers().firstValue("X-Seen-Path").orElseThrow());
      assertTrue(r.headers().firstValue("X-Request-Id").isPresent());
    }
  }
}
