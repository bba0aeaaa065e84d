package dev.citizen.gateway.filter.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.config.HstsConfig;
import dev.citizen.gateway.config.SecurityHeadersConfig;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The defaults, scopes, HSTS on TLS only, and what is removed from services' answers. */
class SecurityHeadersTest {
  private static final SecurityHeadersConfig NONE = SecurityHeadersConfig.DEFAULT;

  private static MultiMap apply(SecurityHeaders h, boolean secure, String... upstream) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < upstream.length; i += 2) {
      m.add(upstream[i], upstream[i + 1]);
    }
    h.apply(m, secure);
    return m;
  }

  @Test
  void defaults() {
    MultiMap m = apply(SecurityHeaders.compile(NONE), false);
    assertEquals("nosniff", m.get("X-Content-Type-Options"));
    assertEquals("DENY", m.get("X-Frame-Options"));
    assertEquals("frame-ancestors 'none'", m.get("Content-Security-Policy"));
    assertEquals("strict-origin-when-cross-origin", m.get("Referrer-Policy"));
    assertNull(m.get("Strict-Transport-Security"), "never over plain HTTP");
    assertEquals(4, m.size());
  }

  @Test
  void hstsOnlyOnTls() {
    assertEquals("max-age=63072000; includeSubDomains",
        apply(SecurityHeaders.compile(NONE), true).get("Strict-Transport-Security"));
    SecurityHeadersConfig preload = new SecurityHeadersConfig(null, null, null, null,
        new HstsConfig(null, Duration.ofDays(365), null, true), null);
    assertEquals("max-age=31536000; includeSubDomains; preload",
        apply(SecurityHeaders.compile(preload), true).get("Strict-Transport-Security"));
    SecurityHeadersConfig off = new SecurityHeadersConfig(null, null, null, null,
        new HstsConfig(false, null, null, null), null);
    assertNull(apply(SecurityHeaders.compile(off), true).get("Strict-Transport-Security"));
  }

  @Test
  void theGatewayWinsExceptForTheServicesOwnCsp() {
    MultiMap m = apply(SecurityHeaders.compile(NONE), true, "X-Frame-Options", "ALLOWALL",
        "X-Content-Type-Options", "sniff", "Referrer-Policy", "unsafe-url", "Strict-Transport-Security", "max-age=0",
        "Content-Security-Policy", "default-src 'self'");
    assertEquals("DENY", m.get("X-Frame-Options"));
    assertEquals("nosniff", m.get("X-Content-Type-Options"));
    assertEquals("strict-origin-when-cross-origin", m.get("Referrer-Policy"));
    assertEquals("max-age=63072000; includeSubDomains", m.get("Strict-Transport-Security"));
    assertEquals(List.of("default-src 'self'"), m.getAll("Content-Security-Policy"));
  }

  @Test
  void disclosingHeadersAndConfiguredOnesAreRemoved() {
    SecurityHeadersConfig gw = new SecurityHeadersConfig(null, null, null, null, null, List.of("X-Backend-Host"));
    MultiMap m = apply(SecurityHeaders.compile(gw), false, "Server", "nginx/1.25.3", "x-powered-by", "Express",
        "X-AspNet-Version", "4.0.30319", "X-AspNetMvc-Version", "5.2", "X-Runtime", "0.01", "X-Version", "3",
        "X-Generator", "Drupal 10", "Via", "1.1 internal-proxy", "X-Backend-Host", "db-7", "X-Keep", "yes");
    for (String gone : List.of("Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version", "X-Runtime",
        "X-Version", "X-Generator", "Via", "X-Backend-Host")) {
      assertFalse(m.contains(gone), gone);
    }
    assertEquals("yes", m.get("X-Keep"));
  }

  @Test
  void aRouteReplacesKeysItSetsKeepsOthersAndAnEmptyStringRemoves() {
    SecurityHeadersConfig gw = new SecurityHeadersConfig(null, null, null, "no-referrer", null, null);
    SecurityHeadersConfig route = new SecurityHeadersConfig("", "SAMEORIGIN", "", null, null, null);
    MultiMap m = apply(SecurityHeaders.compile(gw, route), false, "X-Content-Type-Options", "service-value");
    assertEquals("SAMEORIGIN", m.get("X-Frame-Options"));
    assertEquals("no-referrer", m.get("Referrer-Policy"), "left out on the route: the gateway's value");
    assertNull(m.get("Content-Security-Policy"), "removed on the route");
    assertEquals("service-value", m.get("X-Content-Type-Options"),
        "removed on the route: the gateway neither sets nor overrides it");
  }

  @Test
  void aRoutesHstsReplacesTheGatewaysWhole() {
    SecurityHeadersConfig gw = new SecurityHeadersConfig(null, null, null, null,
        new HstsConfig(null, Duration.ofDays(400), true, true), null);
    SecurityHeadersConfig route = new SecurityHeadersConfig(null, null, null, null,
        new HstsConfig(null, Duration.ofDays(1), null, null), null);
    assertEquals("max-age=86400; includeSubDomains",
        apply(SecurityHeaders.compile(gw, route), true).get("Strict-Transport-Security"));
  }

  @Test
  void theRawHeadHasTheSameHeadersAsLines() {
    assertEquals("X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\n"
        + "Referrer-Policy: strict-origin-when-cross-origin\r\nContent-Security-Policy: frame-ancestors 'none'\r\n",
        SecurityHeaders.compile(NONE).rawHead());
    SecurityHeadersConfig none = new SecurityHeadersConfig("", "", "", "", null, null);
    assertEquals("", SecurityHeaders.compile(none).rawHead());
  }
}
