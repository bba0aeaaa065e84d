package dev.citizen.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code security.headers} and {@code routes[].headers}: binding and every error with its key path. */
class SecurityHeadersConfigTest {

  private static GatewayConfig parse(String yaml) throws ConfigException {
    return new ConfigLoader(name -> null).parse(yaml, "test.yaml");
  }

  private static List<String> paths(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).errors().stream().map(ConfigError::path).toList();
  }

  @Test
  void keysLeftOutStayNullSoThatRoutesInherit() throws Exception {
    GatewayConfig c = parse("""
        security:
          headers: {frameOptions: SAMEORIGIN, hsts: {preload: true}, removeHeaders: [X-Backend]}
        services:
          s: {endpoints: [{url: "http://127.0.0.1:9001"}]}
        routes:
          - {id: r, match: {path: /**}, service: s, headers: {referrerPolicy: "", contentSecurityPolicy: "default-src 'self'"}}
        """);
    SecurityHeadersConfig gw = c.security().headers();
    assertEquals("SAMEORIGIN", gw.frameOptions());
    assertNull(gw.referrerPolicy());
    assertEquals(Duration.ofDays(730), gw.hsts().maxAge());
    assertEquals(true, gw.hsts().preload());
    SecurityHeadersConfig route = c.routes().get(0).headers();
    assertEquals("", route.referrerPolicy(), "an empty string is a value: none");
    assertNull(route.frameOptions());
  }

  @Test
  void badValues() {
    assertEquals(List.of("security.headers.contentTypeOptions", "security.headers.frameOptions",
        "security.headers.contentSecurityPolicy", "security.headers.referrerPolicy", "security.headers.hsts.preload",
        "security.headers.removeHeaders[0]"), paths("""
        security:
          headers:
            contentTypeOptions: sniff
            frameOptions: ALLOW-FROM https://a.test
            contentSecurityPolicy: "default-src\\r\\nX-Injected: 1"
            referrerPolicy: "no-referrer, sometimes"
            hsts: {preload: true, includeSubDomains: false}
            removeHeaders: ["Bad Name"]
        """));
  }

  @Test
  void aRoutesHeadersAreCheckedToo() {
    assertEquals(List.of("routes[0].headers.frameOptions"), paths("""
        services:
          s: {endpoints: [{url: "http://127.0.0.1:9001"}]}
        routes:
          - {id: r, match: {path: /**}, service: s, headers: {frameOptions: deny}}
        """));
  }
}
