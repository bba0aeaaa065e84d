package dev.citizen.gateway.filter.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.citizen.gateway.config.RouteWafConfig;
import dev.citizen.gateway.config.WafConfig;
import dev.citizen.gateway.waf.engine.WafOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule sets are compiled once per settings and reused, and load failures name their setting. */
class WafRuleSetsTest {
  @TempDir
  Path dir;
  private WafConfig gateway;
  private final List<List<String>> loads = new ArrayList<>();

  @BeforeEach
  void crs() throws Exception {
    Files.writeString(Files.createDirectories(dir.resolve("rules")).resolve("REQUEST-901-INITIALIZATION.conf"), "#\n");
    Path setup = Files.writeString(dir.resolve("crs-setup.conf"), "#\n");
    gateway = new WafConfig(dir.toString(), setup.toString(), null, null, null);
  }

  private WafRuleSets counting() {
    return new WafRuleSets((before, files, after) -> {
      loads.add(after);
      return request -> new WafOutcome(List.of(), false, 0, 0);
    });
  }

  private WafSettings settings(RouteWafConfig.Mode mode, int pl, List<String> exclude) {
    return WafSettings.of(gateway, new RouteWafConfig(mode, pl, exclude, null));
  }

  @Test
  void equalSettingsShareOneRuleSetAndOthersGetTheirOwn() {
    WafRuleSets sets = counting();
    Inspector a = sets.get(settings(RouteWafConfig.Mode.BLOCK, 1, List.of("942100")));
    assertSame(a, sets.get(settings(RouteWafConfig.Mode.BLOCK, 1, List.of("942100"))));
    assertEquals(1, loads.size());
    sets.get(settings(RouteWafConfig.Mode.DETECT, 1, List.of("942100")));
    sets.get(settings(RouteWafConfig.Mode.BLOCK, 2, List.of("942100")));
    sets.get(settings(RouteWafConfig.Mode.BLOCK, 1, List.of()));
    assertEquals(4, loads.size());
    assertEquals(4, sets.size());
  }

  @Test
  void retainOnlyDropsWhatTheServingConfigNoLongerUses() {
    WafRuleSets sets = counting();
    WafSettings kept = settings(RouteWafConfig.Mode.BLOCK, 1, List.of());
    Inspector a = sets.get(kept);
    sets.get(settings(RouteWafConfig.Mode.DETECT, 4, List.of()));
    sets.retainOnly(List.of(kept));
    assertEquals(1, sets.size());
    assertSame(a, sets.get(kept), "a reload that keeps the settings reuses the compiled rules");
    assertEquals(2, loads.size());
  }

  @Test
  void engineErrorsAreBlamedOnTheFileTheyNameOrOnTheRoute() {
    WafSettings s = settings(RouteWafConfig.Mode.BLOCK, 1, List.of("942100"));
    for (var c : List.of(
        new Object[] {s.crsSetup() + ":12: unknown directive SecFoo", WafLoadException.Setting.CRS_SETUP},
        new Object[] {dir.resolve("rules/REQUEST-901-INITIALIZATION.conf") + ":3: bad operator",
            WafLoadException.Setting.CRS_DIR},
        new Object[] {"after:1: SecRuleRemoveById: bad id", WafLoadException.Setting.ROUTE})) {
      WafRuleSets sets = new WafRuleSets((before, files, after) -> {
        // The engine throws SecLangException; any runtime exception is treated alike.
        throw new IllegalStateException((String) c[0]);
      });
      WafLoadException e = assertThrows(WafLoadException.class, () -> sets.get(s));
      assertEquals(c[1], e.setting(), (String) c[0]);
      assertEquals("IllegalStateException: " + c[0], e.getMessage());
      assertEquals(0, sets.size(), "a failure is not cached");
    }
  }
}
