package dev.citizen.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's front door: the bundled demo config loads and the demo answers through the gateway. */
class DemoCommandTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  @Timeout(30)
  void demoServesEveryServiceAndItsOpenApiDocumentThroughTheGateway() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String token = DemoCommand.randomToken();
      var demo = DemoCommand.start(vertx, 0, 0, 0, token).toCompletionStage().toCompletableFuture()
          .get(20, TimeUnit.SECONDS);
      String base = "http://127.0.0.1:" + demo.gateway().port();
      assertEquals(200, get(base + "/api/patients").statusCode());
      assertTrue(get(base + "/api/patients/p-1001").body().contains("p-1001"));
      assertEquals(200, get(base + "/api/appointments?patientId=p-1001").statusCode());
      assertEquals(200, get(base + "/api/invoices").statusCode());
      for (String service : new String[] {"patients", "appointments", "billing"}) {
        var doc = get(base + "/openapi/" + service + "/openapi.json");
        assertEquals(200, doc.statusCode(), service);
        assertTrue(doc.body().contains("\"3.1.0\""), service);
      }
      var missing = get(base + "/api/nowhere");
      assertEquals(404, missing.statusCode());
      assertEquals("application/problem+json", missing.headers().firstValue("Content-Type").orElse(""));
      String admin = "http://127.0.0.1:" + demo.gateway().adminPort();
      assertEquals(200, get(admin + "/health/ready").statusCode());
      // The admin API is locked with the demo's token, as the printed curl lines use it.
      assertEquals(401, get(admin + "/admin/services").statusCode());
      var services = http.send(HttpRequest.newBuilder(URI.create(admin + "/admin/services"))
          .header("Authorization", "Bearer " + token).timeout(java.time.Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, services.statusCode(), services.body());
      assertTrue(services.body().contains("\"patients\""), services.body());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
