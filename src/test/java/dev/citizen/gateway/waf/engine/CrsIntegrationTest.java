package dev.citizen.gateway.waf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads the real OWASP CRS 3.3.4 as Debian installs it (modsecurity-crs), after the base config
 * this package ships, and evaluates a few requests in DetectionOnly mode.
 */
class CrsIntegrationTest {

  static final Path CRS_SETUP = Path.of("/etc/modsecurity/crs/crs-setup.conf");
  static final Path CRS_RULES = Path.of("/usr/share/modsecurity-crs/rules");

  private static RuleSet crs;

  static Path baseConf() throws URISyntaxException {
    return Path.of(CrsIntegrationTest.class.getResource("/waf/modsecurity-base.conf").toURI());
  }

  @BeforeAll
  static void load() throws Exception {
    assumeTrue(Files.isRegularFile(CRS_SETUP) && Files.isDirectory(CRS_RULES),
        "the modsecurity-crs package is not installed");
    crs = RuleSet.load(List.of("SecRuleEngine DetectionOnly"),
        List.of(baseConf(), CRS_SETUP, CRS_RULES.resolve("*.conf")), List.of());
  }

  private static List<Integer> ids(String uri, String... headers) {
    return RuleSetTest.ids(crs.evaluate(request(uri, headers)));
  }

  private static WafRequest request(String uri, String... headers) {
    List<Map.Entry<String, String>> h = new java.util.ArrayList<>();
    h.add(Map.entry("Host", "www.example.com"));
    h.add(Map.entry("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"));
    h.add(Map.entry("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      String replaced = headers[i];
      h.removeIf(e -> e.getKey().equalsIgnoreCase(replaced));
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      h.add(Map.entry(headers[i], headers[i + 1]));
    }
    return new WafRequest("GET", uri, "HTTP/1.1", h, null, false, "192.0.2.10", 40000, 80);
  }

  @Test
  void theWholeRuleSetLoads() {
    assertEquals(List.of("OWASP_CRS/3.3.4"), crs.componentSignatures());
    assertTrue(crs.ruleCount(1) > 100, "phase 1 rules: " + crs.ruleCount(1));
    assertTrue(crs.ruleCount(2) > 300, "phase 2 rules: " + crs.ruleCount(2));
  }

  @Test
  void benignGetMatchesNothing() {
    WafOutcome o = crs.evaluate(request("/patients/search?name=Smith&page=2"));
    assertEquals(List.of(), RuleSetTest.ids(o));
    assertFalse(o.disrupted());
  }

  @Test
  void pathTraversalIsFound() {
    List<Integer> ids = ids("/../../etc/passwd");
    assertTrue(ids.contains(930100), ids.toString());
    assertTrue(ids.contains(949110), ids.toString());
  }

  @Test
  void scannerUserAgentIsFound() {
    List<Integer> ids = ids("/", "User-Agent", "Mozilla/5.00 (Nikto/2.1.5) (Evasions:None) (Test:002810)");
    assertTrue(ids.contains(913100), ids.toString());
  }

  @Test
  void numericHostIsFound() {
    List<Integer> ids = ids("/", "Host", "127.0.0.1");
    assertTrue(ids.contains(920350), ids.toString());
  }

  @Test
  void sqlInjectionIsFoundByLibinjection() {
    List<Integer> ids = ids("/?id=1'%20or%20'1'='1");
    assertTrue(ids.contains(942100), ids.toString());
  }
}
