package dev.citizen.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** observability.accessLog: defaults, binding, and every validation error with its key path. */
class AccessLogConfigTest {
  private static final String BASE = """
      services:
        s: {endpoints: [{url: "http://127.0.0.1:9001"}]}
      routes:
        - {id: r, match: {path: /**}, service: s}
      """;

  private static GatewayConfig parse(String accessLog) throws ConfigException {
    return new ConfigLoader(name -> null).parse(BASE + "observability:\n  accessLog:\n" + accessLog, "test.yaml");
  }

  @Test
  void defaultsArePhiSafe() throws ConfigException {
    AccessLogConfig a = new ConfigLoader(name -> null).parse(BASE, "test.yaml").observability().accessLog();
    assertTrue(a.enabled());
    assertFalse(a.logQuery());
    assertEquals(List.of(), a.headers());
    assertEquals(List.of(), a.queryParams());
    assertEquals(8192, a.queueSize());
  }

  @Test
  void bindsEveryKey() throws ConfigException {
    AccessLogConfig a = parse("""
            enabled: false
            headers: [X-Tenant, User-Agent]
            logQuery: true
            queryParams: [page, sort]
            maskQueryParams: [mrn]
            maskPatterns: ['\\b[A-Z]{2}\\d{6}[A-Z]\\b']
            queueSize: 16
        """).observability().accessLog();
    assertFalse(a.enabled());
    assertEquals(List.of("X-Tenant", "User-Agent"), a.headers());
    assertTrue(a.logQuery());
    assertEquals(List.of("page", "sort"), a.queryParams());
    assertEquals(List.of("mrn"), a.maskQueryParams());
    assertEquals(List.of("\\b[A-Z]{2}\\d{6}[A-Z]\\b"), a.maskPatterns());
    assertEquals(16, a.queueSize());
  }

  @Test
  void everyErrorHasItsKeyPath() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("""
            headers: [X-Tenant, Authorization, "bad header", X-Auth-Token]
            queryParams: [page, patient_email, ""]
            maskQueryParams: [mrn, "-"]
            maskPatterns: ['MRN-\\d+', '\\d*', '[unclosed']
            queueSize: 0
        """));
    List<String> paths = e.errors().stream().map(ConfigError::path).toList();
    assertEquals(List.of(
        "observability.accessLog.queueSize",
        "observability.accessLog.headers[1]",
        "observability.accessLog.headers[2]",
        "observability.accessLog.headers[3]",
        "observability.accessLog.queryParams",
        "observability.accessLog.queryParams[1]",
        "observability.accessLog.queryParams[2]",
        "observability.accessLog.maskQueryParams[1]",
        "observability.accessLog.maskPatterns[1]",
        "observability.accessLog.maskPatterns[2]"), paths, e.errors().toString());
    String all = e.errors().toString();
    assertTrue(all.contains("\"Authorization\" is never logged"), all);
    assertTrue(all.contains("set while logQuery is false"), all);
    assertTrue(all.contains("\"patient_email\" is never logged in clear (its name contains the masked name \"email\")"),
        all);
    assertTrue(all.contains("\"[unclosed\" (not a regular expression: Unclosed character class"), all);
  }

  @Test
  void secretHeadersAndMaskedParameters() {
    for (String h : List.of("Authorization", "proxy-authorization", "Cookie", "Set-Cookie", "X-Api-Key",
        "X-Auth-Token", "X-Session-Id", "X-Client-Secret", "X-Amz-Security-Token")) {
      assertTrue(AccessLogConfig.isSecretHeader(h), h);
    }
    for (String h : List.of("X-Tenant", "User-Agent", "Accept", "X-Request-Id")) {
      assertFalse(AccessLogConfig.isSecretHeader(h), h);
    }
    AccessLogConfig a = new AccessLogConfig(null, null, true, null, List.of("MRN"), null, null);
    assertEquals("email", a.maskedBy("Patient-Email"));
    assertEquals("name", a.maskedBy("first_name"));
    assertEquals("MRN", a.maskedBy("patientMrn"));
    assertEquals("code", a.maskedBy("code"), "OAuth authorization codes travel in URLs");
    assertNull(a.maskedBy("page"));
    assertNull(a.maskedBy("sort"));
  }
}
