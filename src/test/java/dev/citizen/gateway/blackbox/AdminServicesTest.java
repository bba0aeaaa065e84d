package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /admin/services}: its shape, and that endpoint state survives a config reload. */
@Timeout(60)
class AdminServicesTest {

  /** patients (a, b) with active checks every 100 ms; billing with versions stable (c) and canary (nothing there). */
  private static String config(ControlledBackend a, ControlledBackend b, ControlledBackend c, String routes)
      throws java.io.IOException {
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
          patients:
            endpoints: [{url: "%s"}, {url: "%s"}]
            healthCheck: {path: /health, interval: 100ms, timeout: 90ms, unhealthyThreshold: 3, healthyThreshold: 1}
          billing:
            versions:
              stable: {weight: 90, endpoints: [{url: "%s"}]}
              canary: {weight: 10, endpoints: [{url: "http://127.0.0.1:%d"}]}
            primary: stable
            loadBalancer: {policy: least-request}
            circuitBreaker: {enabled: false}
        routes:
        """.formatted(a.url(), b.url(), c.url(), TestGateway.refusingPort()) + routes;
  }

  private static final String ROUTES = """
        - {id: patients, match: {path: /patients/**}, service: patients}
        - {id: billing, match: {path: /billing/**}, service: billing}
      """;

  @Test
  void servicesAreShownWithCircuitVersionsAndEndpoints() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      ControlledBackend a = ControlledBackend.start(t.backendVertx, "a");
      ControlledBackend b = ControlledBackend.start(t.backendVertx, "b");
      ControlledBackend c = ControlledBackend.start(t.backendVertx, "c");
      t.startGateway(config(a, b, c, ROUTES));
      assertTrue(TestGateway.eventually(3000, () -> !AdminApi.endpoint(t.adminPort(), "patients", a.url())
          .getString("lastCheck").isEmpty()));

      HttpResponse<String> r = AdminApi.get(t.adminPort(), "/admin/services");
      assertEquals(200, r.statusCode());
      assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
      JsonObject services = new JsonObject(r.body()).getJsonObject("services");
      assertEquals(List.of("patients", "billing"), List.copyOf(services.fieldNames()), "config order");

      JsonObject patients = services.getJsonObject("patients");
      assertEquals(Set.of("loadBalancer", "circuitBreaker", "available", "versions"), patients.fieldNames());
      assertEquals("round-robin", patients.getString("loadBalancer"));
      assertEquals(true, patients.getBoolean("available"));
      JsonObject cb = patients.getJsonObject("circuitBreaker");
      assertEquals(Set.of("state", "failureRate", "slowCallRate", "bufferedCalls", "failedCalls"), cb.fieldNames());
      assertEquals("CLOSED", cb.getString("state"));
      assertEquals(-1.0, cb.getDouble("failureRate"), "no rate below minimumCalls");
      assertEquals(0, cb.getInteger("bufferedCalls"));
      JsonObject dflt = patients.getJsonObject("versions").getJsonObject("default");
      assertEquals(100, dflt.getInteger("weight"));
      assertEquals(100, dflt.getInteger("configuredWeight"));
      assertEquals(true, dflt.getBoolean("primary"));
      JsonArray eps = dflt.getJsonArray("endpoints");
      assertEquals(2, eps.size());
      JsonObject ep = eps.getJsonObject(0);
      assertEquals(Set.of("url", "state", "healthy", "ejected", "ejectedForMillis", "ejections", "inFlight",
          "consecutiveFailures", "lastCheck"), ep.fieldNames());
      assertEquals(a.url(), ep.getString("url"));
      assertEquals("healthy", ep.getString("state"));
      assertEquals(true, ep.getBoolean("healthy"));
      assertEquals(false, ep.getBoolean("ejected"));
      assertEquals(0L, ep.getLong("ejectedForMillis"));
      assertEquals(0, ep.getInteger("ejections"));
      assertEquals(0, ep.getInteger("inFlight"));
      assertEquals(0, ep.getInteger("consecutiveFailures"));
      assertTrue(ep.getString("lastCheck").matches("200 in \\d+ ms"), ep.encode());

      JsonObject billing = services.getJsonObject("billing");
      assertEquals("least-request", billing.getString("loadBalancer"));
      assertEquals(new JsonObject().put("state", "DISABLED"), billing.getJsonObject("circuitBreaker"));
      JsonObject versions = billing.getJsonObject("versions");
      assertEquals(List.of("stable", "canary"), List.copyOf(versions.fieldNames()));
      assertEquals(90, versions.getJsonObject("stable").getInteger("weight"));
      assertEquals(true, versions.getJsonObject("stable").getBoolean("primary"));
      assertEquals(false, versions.getJsonObject("canary").getBoolean("primary"));
      assertEquals(10, versions.getJsonObject("canary").getInteger("configuredWeight"));
      JsonObject stableEp = versions.getJsonObject("stable").getJsonArray("endpoints").getJsonObject(0);
      assertFalse(stableEp.containsKey("lastCheck"), "no active checks for billing: " + stableEp.encode());

      String post = RawHttp.responseTo(t.adminPort(), "POST /admin/services HTTP/1.1\r\nHost: h\r\n"
          + "Authorization: " + AdminApi.AUTHORIZATION + "\r\nContent-Length: 0\r\n\r\n");
      assertEquals(405, RawHttp.statusOf(post), post);
    }
  }

  @Test
  void anUnhealthyEndpointStaysUnhealthyAcrossAReloadThatKeepsIt() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      ControlledBackend a = ControlledBackend.start(t.backendVertx, "a");
      ControlledBackend b = ControlledBackend.start(t.backendVertx, "b");
      ControlledBackend c = ControlledBackend.start(t.backendVertx, "c");
      t.startGateway(config(a, b, c, ROUTES));
      a.failHealth = true;
      assertTrue(TestGateway.eventually(3000, () -> AdminApi.state(t.adminPort(), "patients", a.url())
          .equals("unhealthy")));
      // Were the state reset, a would be healthy again for 3 failed checks (>= 200 ms): look at
      // once after the reload.
      t.rewriteConfig(config(a, b, c, ROUTES + "  - {id: extra, match: {path: /extra/**}, service: patients}\n"));
      assertTrue(TestGateway.eventually(3000, () -> t.gateway.config().routes().size() == 3), "reloaded");
      assertEquals("unhealthy", AdminApi.state(t.adminPort(), "patients", a.url()));
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> r = AdminApi.get(t.port(), "/extra/x");
        assertEquals("b", r.headers().firstValue("X-Backend").orElse(""), "the new route skips a too");
      }
      // The checks go on after the reload: a comes back.
      a.failHealth = false;
      assertTrue(TestGateway.eventually(3000, () -> AdminApi.state(t.adminPort(), "patients", a.url())
          .equals("healthy")));
    }
  }

  @Test
  void removingTheHealthCheckPutsAnUnhealthyEndpointBack() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      ControlledBackend a = ControlledBackend.start(t.backendVertx, "a");
      ControlledBackend b = ControlledBackend.start(t.backendVertx, "b");
      ControlledBackend c = ControlledBackend.start(t.backendVertx, "c");
      t.startGateway(config(a, b, c, ROUTES));
      a.failHealth = true;
      assertTrue(TestGateway.eventually(3000, () -> AdminApi.state(t.adminPort(), "patients", a.url())
          .equals("unhealthy")));
      t.rewriteConfig(config(a, b, c, ROUTES).replaceAll("    healthCheck: .*\n", ""));
      assertTrue(TestGateway.eventually(3000,
          () -> t.gateway.config().services().get("patients").healthCheck() == null), "reloaded");
      // Nothing would ever bring it back otherwise.
      assertTrue(TestGateway.eventually(1000, () -> AdminApi.state(t.adminPort(), "patients", a.url())
          .equals("healthy")));
      assertFalse(AdminApi.endpoint(t.adminPort(), "patients", a.url()).containsKey("lastCheck"));
      int checks = a.healthChecks.get();
      Thread.sleep(300); // three intervals: proving an absence needs a wait
      assertEquals(checks, a.healthChecks.get(), "checks stopped");
    }
  }
}
