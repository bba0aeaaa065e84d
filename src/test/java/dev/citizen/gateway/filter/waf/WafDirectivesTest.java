package dev.citizen.gateway.filter.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.config.RouteWafConfig;
import dev.citizen.gateway.config.WafConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the engine is asked to load for a route's settings, and when the files are missing. */
class WafDirectivesTest {
  private static final String FREE_TEXT = "\"!ARGS:/(?:^|\\.)(?:text|valueString|comment|description|div)$/\"";
  private static final String FREE_TEXT_SQLI = "SecRuleUpdateTargetByTag \"attack-sqli\" " + FREE_TEXT;
  private static final String FREE_TEXT_RCE = "SecRuleUpdateTargetByTag \"attack-rce\" " + FREE_TEXT;
  @TempDir
  Path dir;

  private static WafSettings settings(String crsDir, String setup, RouteWafConfig.Mode mode, int pl,
      Integer threshold, List<String> exclude) {
    return WafSettings.of(new WafConfig(crsDir, setup, null, null, null), new RouteWafConfig(mode, pl, exclude,
        threshold));
  }

  @Test
  void paranoiaAndThresholdAreSetTheCrsWayBeforeTheRules() {
    WafSettings s = settings("/crs", "/setup.conf", RouteWafConfig.Mode.BLOCK, 3, 9, List.of());
    List<String> before = WafDirectives.before(s);
    assertEquals("SecAction \"id:9000001,phase:1,pass,nolog,t:none,setvar:tx.paranoia_level=3,"
        + "setvar:tx.executing_paranoia_level=3,setvar:tx.inbound_anomaly_score_threshold=9,"
        + "setvar:'tx.allowed_methods=GET HEAD POST OPTIONS PUT PATCH DELETE',"
        + "setvar:'tx.allowed_request_content_type=|application/x-www-form-urlencoded| |multipart/form-data| "
        + "|multipart/related| |text/xml| |application/xml| |application/soap+xml| |application/json| "
        + "|application/cloudevents+json| |application/cloudevents-batch+json| |application/fhir+json| "
        + "|application/fhir+xml| |application/json-patch+json| |application/merge-patch+json|'\"", before.get(0));
    assertEquals("SecRule REQUEST_HEADERS:Content-Type \"@rx ^application/(?:fhir|json-patch|merge-patch)\\+json\" "
        + "\"id:9000002,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON\"", before.get(1));
    assertEquals("SecRule REQUEST_HEADERS:Content-Type \"@rx ^application/fhir\\+xml\" "
        + "\"id:9000003,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML\"", before.get(2));
    assertEquals(3, before.size());
    assertEquals(List.of(FREE_TEXT_SQLI, FREE_TEXT_RCE, "SecRuleEngine On"), WafDirectives.after(s));
    WafSettings detect = settings("/crs", "/setup.conf", RouteWafConfig.Mode.DETECT, 1, null, List.of());
    assertEquals(List.of(FREE_TEXT_SQLI, FREE_TEXT_RCE, "SecRuleEngine DetectionOnly"), WafDirectives.after(detect));
    WafSettings noFreeText = WafSettings.of(new WafConfig("/crs", "/setup.conf", null, null, null, List.of()),
        new RouteWafConfig(RouteWafConfig.Mode.BLOCK, 1, List.of(), null));
    assertEquals(List.of("SecRuleEngine On"), WafDirectives.after(noFreeText), "freeTextFields: [] inspects them too");
    assertTrue(WafDirectives.before(detect).get(0).contains("inbound_anomaly_score_threshold=5"),
        "the gateway's threshold when the route sets none");
  }

  @Test
  void exclusionsAreRemovedAfterTheRulesNormalisedAndSorted() {
    WafSettings s = settings("/crs", "/setup.conf", RouteWafConfig.Mode.BLOCK, 1, null,
        List.of("942200", " 920300 - 920350", "942100", "942100"));
    assertEquals(List.of("920300-920350", "942100", "942200"), s.excludeRules());
    assertEquals(List.of("SecRuleRemoveById 920300-920350 942100 942200", FREE_TEXT_SQLI, FREE_TEXT_RCE,
        "SecRuleEngine On"), WafDirectives.after(s));
    assertEquals(s, settings("/crs", "/setup.conf", RouteWafConfig.Mode.BLOCK, 1, 5,
        List.of("942100", "942200", "920300-920350")), "equal settings share a rule set");
  }

  @Test
  void filesAreTheBaseConfigThenTheSetupThenTheRulesInNameOrder() throws Exception {
    Path rules = Files.createDirectories(dir.resolve("rules"));
    for (String f : List.of("REQUEST-920-PROTOCOL-ENFORCEMENT.conf", "REQUEST-901-INITIALIZATION.conf",
        "crawlers-user-agents.data", "RESPONSE-980-CORRELATION.conf")) {
      Files.writeString(rules.resolve(f), "# x\n");
    }
    Path setup = Files.writeString(dir.resolve("crs-setup.conf"), "# setup\n");
    List<Path> files = WafDirectives.files(settings(dir.toString(), setup.toString(), RouteWafConfig.Mode.DETECT,
        1, null, List.of()));
    assertEquals(List.of(setup, rules.resolve("REQUEST-901-INITIALIZATION.conf"),
        rules.resolve("REQUEST-920-PROTOCOL-ENFORCEMENT.conf"), rules.resolve("RESPONSE-980-CORRELATION.conf")),
        files.subList(1, files.size()));
    assertEquals(WafDirectives.baseFile(), files.get(0));
  }

  @Test
  void missingFilesBlameTheirSetting() throws Exception {
    Path setup = Files.writeString(dir.resolve("crs-setup.conf"), "# setup\n");
    WafLoadException noSetup = assertThrows(WafLoadException.class, () -> WafDirectives.files(
        settings(dir.toString(), dir.resolve("nope.conf").toString(), RouteWafConfig.Mode.DETECT, 1, null, List.of())));
    assertEquals(WafLoadException.Setting.CRS_SETUP, noSetup.setting());
    WafLoadException noRules = assertThrows(WafLoadException.class, () -> WafDirectives.files(
        settings(dir.resolve("missing").toString(), setup.toString(), RouteWafConfig.Mode.DETECT, 1, null, List.of())));
    assertEquals(WafLoadException.Setting.CRS_DIR, noRules.setting());
    Files.createDirectories(dir.resolve("rules"));
    WafLoadException empty = assertThrows(WafLoadException.class, () -> WafDirectives.files(
        settings(dir.toString(), setup.toString(), RouteWafConfig.Mode.DETECT, 1, null, List.of())));
    assertEquals(WafLoadException.Setting.CRS_DIR, empty.setting());
    assertTrue(empty.getMessage().contains("no *.conf"), empty.getMessage());
  }
}
