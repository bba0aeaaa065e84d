package dev.citizen.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.config.ConfigError;
import dev.citizen.gateway.config.ConfigException;
import dev.citizen.gateway.config.ConfigLoader;
import dev.citizen.gateway.config.GatewayConfig;
import dev.citizen.gateway.filter.waf.WafFilter;
import dev.citizen.gateway.filter.waf.WafRuleSets;
import dev.citizen.gateway.waf.engine.WafOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WAF rule sets are compiled with the snapshot: shared by routes with equal settings, reused by a
 * reload that keeps them, and a failure is a config error naming the key.
 */
class WafSnapshotTest {
  @TempDir
  Path dir;
  private final List<List<String>> loads = new ArrayList<>();
  private String crs;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(Files.createDirectories(dir.resolve("rules")).resolve("REQUEST-901-INITIALIZATION.conf"), "#\n");
    Files.writeString(dir.resolve("crs-setup.conf"), "#\n");
    crs = "waf: {crsDir: \"" + dir + "\", crsSetup: \"" + dir.resolve("crs-setup.conf") + "\"}\n";
  }

  private static GatewayConfig config(String top, String... routeWafs) throws ConfigException {
    StringBuilder sb = new StringBuilder(top).append("services:\n  s: {endpoints: [{url: \"http://127.0.0.1:9001\"}]}\nroutes:\n");
    for (int i = 0; i < routeWafs.length; i++) {
      sb.append("  - id: r").append(i).append("\n    match: {path: /r").append(i).append("/**}\n    service: s\n");
      if (routeWafs[i] != null) {
        sb.append("    waf: ").append(routeWafs[i]).append('\n');
      }
    }
    return new ConfigLoader(n -> null).parse(sb.toString(), "test.yaml");
  }

  private EdgeState edge() {
    return new EdgeState(null, new WafRuleSets((before, files, after) -> {
      loads.add(after);
      if (after.stream().anyMatch(l -> l.contains("999999"))) {
        throw new IllegalStateException("after:1: SecRuleRemoveById: no such rule 999999");
      }
      return request -> new WafOutcome(List.of(), false, 0, 0);
    }));
  }

  @Test
  void routesWithEqualSettingsShareOneRuleSetAndAReloadReusesIt() throws Exception {
    EdgeState edge = edge();
    Snapshot first = Snapshot.compile(config(crs, "{mode: block}", null, "{mode: block, paranoiaLevel: 1}",
        "{mode: detect}", "{mode: \"off\"}"), null, edge);
    assertEquals(2, loads.size(), "block PL1 once, detect PL1 once; none for the route without and the one off");
    assertEquals(1, first.router().routes().stream().filter(r -> r.id().equals("r0")).findFirst().orElseThrow()
        .filters().stream().filter(f -> f instanceof WafFilter).count());
    assertEquals(0, first.router().routes().stream().filter(r -> r.id().equals("r4")).findFirst().orElseThrow()
        .filters().stream().filter(f -> f instanceof WafFilter).count());
    Snapshot.compile(config(crs, "{mode: block}", "{mode: detect}"), first, edge);
    assertEquals(2, loads.size(), "a reload with the same settings compiles nothing");
    Snapshot.compile(config(crs, "{mode: block, paranoiaLevel: 2}"), first, edge);
    assertEquals(3, loads.size());
  }

  @Test
  void aRuleSetThatFailsToLoadIsAnErrorOfTheRouteAndTheOldSnapshotStays() throws Exception {
    EdgeState edge = edge();
    ConfigException e = assertThrows(ConfigException.class, () -> Snapshot.compile(config(crs, null, "{mode: detect}",
        "{mode: block, excludeRules: [999999]}"), null, edge));
    List<ConfigError> errors = e.errors();
    assertEquals(List.of("routes[2].waf"), errors.stream().map(ConfigError::path).toList());
    assertTrue(errors.get(0).message().contains("cannot be loaded") && errors.get(0).message().contains("999999"),
        errors.get(0).message());
  }

  @Test
  void missingCrsFilesAreErrorsOfTheirKeys() throws Exception {
    EdgeState edge = edge();
    ConfigException noDir = assertThrows(ConfigException.class, () -> Snapshot.compile(config(
        "waf: {crsDir: \"" + dir.resolve("nope") + "\", crsSetup: \"" + dir.resolve("crs-setup.conf") + "\"}\n",
        "{mode: block}", "{mode: block}"), null, edge));
    assertEquals(List.of("waf.crsDir"), noDir.errors().stream().map(ConfigError::path).toList(),
        "reported once, not once per route");
    ConfigException noSetup = assertThrows(ConfigException.class, () -> Snapshot.compile(config(
        "waf: {crsDir: \"" + dir + "\", crsSetup: \"" + dir.resolve("nope.conf") + "\"}\n", "{mode: detect}"), null, edge));
    assertEquals(List.of("waf.crsSetup"), noSetup.errors().stream().map(ConfigError::path).toList());
    assertEquals(0, loads.size());
  }
}
