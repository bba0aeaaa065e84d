package dev.citizen.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The edge keys: security.trustedProxies, security.autoBan and a route's clients. */
class ClientSecurityConfigTest {
  private static final String SERVICE = "services: {s: {endpoints: [{url: \"http://127.0.0.1:9\"}]}}\n";

  private static GatewayConfig parse(String yaml) throws ConfigException {
    return new ConfigLoader().parse(SERVICE + yaml, "test.yaml");
  }

  private static List<String> errors(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).errors().stream().map(ConfigError::toString)
        .toList();
  }

  @Test
  void defaults() throws Exception {
    GatewayConfig c = parse("routes: [{id: a, match: {path: /a}, service: s}]\n");
    assertEquals(List.of(), c.security().trustedProxies());
    AutoBanConfig ban = c.security().autoBan();
    assertTrue(ban.enabled());
    assertEquals(3, ban.maxFailures());
    assertEquals(Duration.ofMinutes(5), ban.window());
    assertEquals(Duration.ofMinutes(15), ban.banFor());
    assertEquals(10_000, ban.maxAddresses());
    assertEquals(List.of(), ban.exempt());
    assertNull(c.routes().get(0).clients());
    assertEquals(false, c.routes().get(0).login());
  }

  @Test
  void everyKeyBinds() throws Exception {
    GatewayConfig c = parse("""
        routes:
          - id: a
            match: {path: /a}
            service: s
            login: true
            clients:
              allow: [10.0.0.0/8, "2001:db8::/32", 192.0.2.7, "::1"]
              deny: [10.9.0.0/16]
              blockBots: true
              botUserAgents: [badbot]
        security:
          trustedProxies: [10.0.0.0/8, "fd00::/8", 127.0.0.1]
          autoBan: {enabled: true, maxFailures: 5, window: 1m, banFor: 1h, maxAddresses: 500, exempt: [192.0.2.0/24]}
        """);
    ClientAccessConfig clients = c.routes().get(0).clients();
    assertEquals(List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.7", "::1"), clients.allow());
    assertEquals(List.of("10.9.0.0/16"), clients.deny());
    assertTrue(clients.blockBots());
    assertEquals(List.of("badbot"), clients.botUserAgents());
    assertTrue(c.routes().get(0).login());
    assertEquals(List.of("10.0.0.0/8", "fd00::/8", "127.0.0.1"), c.security().trustedProxies());
    assertEquals(new AutoBanConfig(true, 5, Duration.ofMinutes(1), Duration.ofHours(1), 500, List.of("192.0.2.0/24")),
        c.security().autoBan());
  }

  @Test
  void badAddressesAreNamedByTheirKeyPath() {
    List<String> errors = errors("""
        routes:
          - id: a
            match: {path: /a}
            service: s
            clients: {allow: [10.0.0.300/8, 10.0.0.0/8], deny: [10.0.0.0/8, "2001:db8::1/32"]}
        security:
          trustedProxies: [10.0.0.0/8, 10.0.0.0/33, proxy.internal, "::1/129"]
          autoBan: {exempt: [192.0.2.1/24]}
        """);
    assertEquals(List.of(
        "routes[0].clients.allow[0]: \"10.0.0.300/8\" (expected: an IP address or CIDR such as 10.0.0.0/8 or "
            + "2001:db8::/32)",
        "routes[0].clients.deny[1]: \"2001:db8::1/32\" (host bits set; expected: 2001:db8:0:0:0:0:0:0/32)",
        "security.trustedProxies[1]: \"10.0.0.0/33\" (expected: a prefix length of 0..32 after /)",
        "security.trustedProxies[2]: \"proxy.internal\" (expected: an IP address or CIDR such as 10.0.0.0/8 or "
            + "2001:db8::/32)",
        "security.trustedProxies[3]: \"::1/129\" (expected: a prefix length of 0..128 after /)",
        "security.autoBan.exempt[0]: \"192.0.2.1/24\" (host bits set; expected: 192.0.2.0/24)"), errors);
  }

  @Test
  void autoBanRanges() {
    List<String> errors = errors("security: {autoBan: {maxFailures: 0, window: 0, banFor: 0, maxAddresses: 0}}\n");
    assertEquals(List.of("security.autoBan.maxFailures: 0 (expected: 1..1000)",
        "security.autoBan.window: 0 (expected: > 0)",
        "security.autoBan.banFor: 0 (expected: > 0)",
        "security.autoBan.maxAddresses: 0 (expected: 1..10000000)"), errors);
  }

  @Test
  void clientsMistakes() {
    List<String> errors = errors("""
        routes:
          - {id: a, match: {path: /a}, service: s, clients: {allow: []}}
          - {id: b, match: {path: /b}, service: s, clients: {botUserAgents: [x]}}
          - {id: c, match: {path: /c}, service: s, clients: {blockBots: true, botUserAgents: [" "]}}
          - {id: d, match: {path: /d}, service: s, clients: {alow: [10.0.0.0/8]}}
        """);
    assertEquals(4, errors.size(), errors::toString);
    // Binding errors come first, then the validator's.
    assertTrue(errors.get(0).startsWith("routes[3].clients.alow: unknown key (expected one of: allow, deny, "
        + "blockBots, botUserAgents)"), errors::toString);
    assertTrue(errors.get(1).startsWith("routes[0].clients.allow: empty (expected: at least one address"), errors::toString);
    assertEquals("routes[1].clients.botUserAgents: set while blockBots is false (expected: blockBots: true)",
        errors.get(2));
    assertTrue(errors.get(3).startsWith("routes[2].clients.botUserAgents[0]: empty"), errors::toString);
  }
}
