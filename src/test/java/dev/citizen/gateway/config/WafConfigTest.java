package dev.citizen.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code waf} key and {@code routes[].waf}: binding, defaults and every error with its key path. */
class WafConfigTest {

  private static GatewayConfig parse(String top, String routeExtra) throws ConfigException {
    return new ConfigLoader(name -> null).parse(top + """
        services:
          s: {endpoints: [{url: "http://127.0.0.1:9001"}]}
        routes:
          - id: r
            match: {path: /**}
            service: s
        """ + routeExtra, "test.yaml");
  }

  private static List<ConfigError> errors(String top, String routeExtra) {
    return assertThrows(ConfigException.class, () -> parse(top, routeExtra)).errors();
  }

  private static List<String> paths(String top, String routeExtra) {
    return errors(top, routeExtra).stream().map(ConfigError::path).toList();
  }

  @Test
  void defaultsWithoutAWafKey() throws Exception {
    GatewayConfig c = parse("", "");
    assertEquals("/usr/share/modsecurity-crs", c.waf().crsDir());
    assertEquals("/etc/modsecurity/crs/crs-setup.conf", c.waf().crsSetup());
    assertEquals(128 * 1024, c.waf().bodyLimit().bytes());
    assertEquals(WafConfig.BodyLimitAction.REJECT, c.waf().bodyLimitAction());
    assertEquals(5, c.waf().anomalyThreshold());
    assertNull(c.routes().get(0).waf(), "off unless the route says");
  }

  @Test
  void bindsEveryKey() throws Exception {
    GatewayConfig c = parse("""
        waf: {crsDir: /opt/crs, crsSetup: /opt/crs/setup.conf, bodyLimit: 1MiB, bodyLimitAction: partial,
              anomalyThreshold: 10}
        """, "    waf: {mode: block, paranoiaLevel: 3, excludeRules: [942100, \"920300-920350\"], "
        + "anomalyThreshold: 7}\n");
    assertEquals("/opt/crs", c.waf().crsDir());
    assertEquals("/opt/crs/setup.conf", c.waf().crsSetup());
    assertEquals(1024 * 1024, c.waf().bodyLimit().bytes());
    assertEquals(WafConfig.BodyLimitAction.PARTIAL, c.waf().bodyLimitAction());
    RouteWafConfig w = c.routes().get(0).waf();
    assertEquals(RouteWafConfig.Mode.BLOCK, w.mode());
    assertEquals(3, w.paranoiaLevel());
    assertEquals(List.of("942100", "920300-920350"), w.excludeRules());
    assertEquals(7, w.threshold(c.waf()));
  }

  @Test
  void routeDefaultsAndTheGatewayThreshold() throws Exception {
    GatewayConfig c = parse("waf: {anomalyThreshold: 12}\n", "    waf: {mode: \"off\"}\n");
    RouteWafConfig w = c.routes().get(0).waf();
    assertEquals(RouteWafConfig.Mode.OFF, w.mode(), "a quoted or plain off is the mode, not a boolean");
    assertEquals(1, w.paranoiaLevel());
    assertEquals(List.of(), w.excludeRules());
    assertEquals(12, w.threshold(c.waf()));
    assertEquals(RouteWafConfig.Mode.OFF, parse("", "    waf: {mode: off}\n").routes().get(0).waf().mode());
  }

  @Test
  void routeErrorsHaveTheirPaths() {
    assertEquals(List.of("routes[0].waf.mode"), paths("", "    waf: {paranoiaLevel: 2}\n"));
    List<ConfigError> e = errors("", "    waf: {mode: strict}\n");
    assertEquals(List.of("routes[0].waf.mode"), e.stream().map(ConfigError::path).toList());
    assertTrue(e.get(0).message().contains("off, detect, block"), e.get(0).message());
    assertEquals(List.of("routes[0].waf.paranoiaLevel"), paths("", "    waf: {mode: block, paranoiaLevel: 5}\n"));
    assertEquals(List.of("routes[0].waf.paranoiaLevel"), paths("", "    waf: {mode: block, paranoiaLevel: 0}\n"));
    assertEquals(List.of("routes[0].waf.excludeRules[1]", "routes[0].waf.excludeRules[2]",
        "routes[0].waf.excludeRules[3]"),
        paths("", "    waf: {mode: detect, excludeRules: [942100, abc, \"942200-942100\", \"1-2-3\", \" 942300 - 942399 \"]}\n"));
    assertEquals(List.of("routes[0].waf.anomalyThreshold"), paths("", "    waf: {mode: block, anomalyThreshold: 0}\n"));
    assertEquals(List.of("routes[0].waf.detect"), paths("", "    waf: {mode: block, detect: true}\n"));
  }

  @Test
  void gatewayErrorsHaveTheirPaths() {
    assertEquals(List.of("waf.bodyLimit"), paths("waf: {bodyLimit: 0}\n", ""));
    assertEquals(List.of("waf.bodyLimit"), paths("waf: {bodyLimit: 1GiB}\n", ""));
    assertEquals(List.of("waf.bodyLimitAction"), paths("waf: {bodyLimitAction: truncate}\n", ""));
    assertEquals(List.of("waf.anomalyThreshold"), paths("waf: {anomalyThreshold: -1}\n", ""));
    assertEquals(List.of("waf.crsDir", "waf.crsSetup"), paths("waf: {crsDir: \" \", crsSetup: \"\"}\n", ""));
    assertEquals(List.of("waf.paranoiaLevel"), paths("waf: {paranoiaLevel: 2}\n", ""));
  }

  @Test
  void exclusionRanges() {
    assertEquals(List.of(942100L, 942100L), List.of(RouteWafConfig.parseRange("942100")[0],
        RouteWafConfig.parseRange("942100")[1]));
    long[] r = RouteWafConfig.parseRange(" 920300 - 920350 ");
    assertEquals(920300, r[0]);
    assertEquals(920350, r[1]);
    assertNull(RouteWafConfig.parseRange("0"));
    assertNull(RouteWafConfig.parseRange("942100-"));
    assertNull(RouteWafConfig.parseRange("942100,942200"));
  }
}
