package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The admin API's bearer token: every endpoint but the two health checks is locked, with the
 * token from the config, from CITIZEN_ADMIN_TOKEN, or (with neither) for good.
 */
@Timeout(60)
class AdminAuthBlackBoxTest {
  private static final String ADMIN_PATHS_NOTE = "/admin/services, /metrics and unknown paths alike";

  private static void assertUnauthorized(HttpResponse<String> r, String challenge) {
    assertEquals(401, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("unauthorized", new JsonObject(r.body()).getString("code"));
    assertEquals(List.of(challenge), r.headers().allValues("WWW-Authenticate"));
  }

  private static final String PLAIN = "Bearer realm=\"admin\"";
  private static final String INVALID = "Bearer realm=\"admin\", error=\"invalid_token\"";

  @Test
  void everyEndpointButHealthNeedsTheToken() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().end("ok"));
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      int admin = t.adminPort();
      for (String path : new String[] {"/admin/services", "/metrics", "/admin/services/backend/weights", "/nope"}) {
        assertUnauthorized(AdminApi.get(admin, path, null), PLAIN);
        assertUnauthorized(AdminApi.get(admin, path, "Bearer wrong-token-0123456789"), INVALID);
        assertUnauthorized(AdminApi.get(admin, path, "Bearer " + TestGateway.ADMIN_TOKEN + "x"), INVALID);
        assertUnauthorized(AdminApi.get(admin, path, TestGateway.ADMIN_TOKEN), INVALID);
      }
      assertEquals(200, AdminApi.get(admin, "/admin/services").statusCode());
      assertEquals(200, AdminApi.get(admin, "/metrics").statusCode());
      assertEquals(404, AdminApi.get(admin, "/nope").statusCode(), "with the token, unknown paths are 404");
      for (String path : new String[] {"/health/live", "/health/ready", "/health/ready?services=true"}) {
        assertEquals(200, AdminApi.get(admin, path, null).statusCode(), path);
      }
      // No other spelling passes as a health check.
      String raw = RawHttp.responseTo(admin, "GET /health/../admin/services HTTP/1.1\r\nHost: a\r\n\r\n");
      assertEquals(401, RawHttp.statusOf(raw), raw);
    }
  }

  @Test
  void withoutATokenTheAdminApiIsLockedAndTheGatewaySaysHowToSetOne() throws Exception {
    assumeTrue(System.getenv("CITIZEN_ADMIN_TOKEN") == null, "the environment sets an admin token");
    try (TestGateway t = TestGateway.create(); LogCapture logs = LogCapture.of("dev.citizen.gateway.admin.AdminServer")) {
      int backend = t.httpBackend(req -> req.response().end("ok"));
      t.startGatewayAsWritten(TestGateway.simpleConfig(backend, "5s", "10s"));
      int admin = t.adminPort();
      for (String path : new String[] {"/admin/services", "/metrics"}) {
        HttpResponse<String> r = AdminApi.get(admin, path, null);
        assertUnauthorized(r, PLAIN);
        assertTrue(new JsonObject(r.body()).getString("detail").contains("locked"), r.body());
        assertUnauthorized(AdminApi.get(admin, path, "Bearer " + TestGateway.ADMIN_TOKEN), PLAIN);
        assertUnauthorized(AdminApi.get(admin, path, "Bearer "), PLAIN);
      }
      assertEquals(200, AdminApi.get(admin, "/health/live", null).statusCode());
      assertEquals(200, AdminApi.get(admin, "/health/ready", null).statusCode());
      LogCapture.Line warn = logs.await(2000, l -> l.message().contains("admin API is locked"));
      assertNotNull(warn, () -> String.valueOf(logs.lines));
      assertTrue(warn.message().contains("admin.token") && warn.message().contains("CITIZEN_ADMIN_TOKEN"));
    }
  }

  @Test
  void aReloadRotatesTheToken() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().end("ok"));
      String config = TestGateway.simpleConfig(backend, "5s", "10s");
      t.startGateway(config);
      assertEquals(200, AdminApi.get(t.adminPort(), "/admin/services").statusCode());
      String rotated = "rotated-admin-token-9876543210";
      t.rewriteConfig(config.replace("admin: {host: 127.0.0.1, port: 0}",
          "admin: {host: 127.0.0.1, port: 0, token: " + rotated + "}"));
      assertTrue(TestGateway.eventually(5000, () -> status(t, "Bearer " + rotated) == 200), "the new token opens it");
      assertEquals(401, status(t, AdminApi.AUTHORIZATION), "the old one no longer does");
    }
  }

  private static int status(TestGateway t, String authorization) {
    try {
      return AdminApi.get(t.adminPort(), "/admin/services", authorization).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static final String PROCESS_CONFIG = """
      server: {host: 127.0.0.1, port: 0}
      admin: {host: 127.0.0.1, port: 0}
      services:
        backend: {endpoints: [{url: "http://127.0.0.1:9"}]}
      routes:
        - {id: all, match: {path: /**}, service: backend}
      """;

  @Test
  void theEnvironmentVariableIsTheFallback() throws Exception {
    String token = "environment-admin-token-0123";
    try (GatewayProcess g = GatewayProcess.start(PROCESS_CONFIG, Map.of("CITIZEN_ADMIN_TOKEN", token))) {
      assertEquals(401, AdminApi.get(g.adminPort, "/admin/services", null).statusCode());
      assertEquals(200, AdminApi.get(g.adminPort, "/admin/services", "Bearer " + token).statusCode());
      assertEquals(200, AdminApi.get(g.adminPort, "/metrics", "Bearer " + token).statusCode());
      assertTrue(!g.logText().contains("admin API is locked"), g.logTail());
    }
  }

  @Test
  void aShortEnvironmentTokenStopsTheStart() throws Exception {
    Path config = Files.createTempFile("gateway-admin", ".yaml");
    try {
      Files.writeString(config, PROCESS_CONFIG, StandardCharsets.UTF_8);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx96m", "-XX:+UseSerialGC", "-cp",
          System.getProperty("java.class.path"), "dev.citizen.gateway.cli.Main", "run", "--config", config.toString())
          .redirectErrorStream(true);
      pb.environment().put("CITIZEN_ADMIN_TOKEN", "too-short");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(1, p.exitValue(), out);
      assertTrue(out.contains("CITIZEN_ADMIN_TOKEN: 9 characters (expected: at least 16"), out);
      assertTrue(!out.contains("too-short"), "the token is never echoed: " + out);
    } finally {
      Files.deleteIfExists(config);
    }
  }
}
