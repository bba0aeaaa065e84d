package dev.citizen.gateway.filter.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.config.RouteWafConfig;
import dev.citizen.gateway.config.WafConfig;
import dev.citizen.gateway.waf.engine.RuleSet;
import dev.citizen.gateway.waf.engine.WafOutcome;
import dev.citizen.gateway.waf.engine.WafRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the engine is asked to load for a route's settings, and when the files are missing. */
class WafDirectivesTest {
  private static final String FREE_TEXT = "\"!ARGS:/(?:^|\\.)(?:text|valueString|comment|description|div)$/\"";
  private static final String FREE_TEXT_SQLI = "SecRuleUpdateTargetByTag \"attack-sqli\" " + FREE_TEXT;
  private static final String FREE_TEXT_RCE = "SecRuleUpdateTargetByTag \"attack-rce\" " + FREE_TEXT;
  private static final String REGEX_LIMIT = "SecRule TX:MSC_PCRE_LIMITS_EXCEEDED \"@eq 1\" \"id:9000010,phase:2,t:none,"
      + "deny,status:403,log,msg:'Request not fully inspected: a rule pattern gave up on a value (regex limits)',"
      + "tag:'gateway-waf/regex-limit'\"";
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
    assertEquals(List.of(FREE_TEXT_SQLI, FREE_TEXT_RCE, REGEX_LIMIT, "SecRuleEngine On"), WafDirectives.after(s));
    WafSettings detect = settings("/crs", "/setup.conf", RouteWafConfig.Mode.DETECT, 1, null, List.of());
    assertEquals(List.of(FREE_TEXT_SQLI, FREE_TEXT_RCE, REGEX_LIMIT, "SecRuleEngine DetectionOnly"),
        WafDirectives.after(detect));
    WafSettings noFreeText = WafSettings.of(new WafConfig("/crs", "/setup.conf", null, null, null, List.of(),
        WafConfig.RegexLimitAction.PASS), new RouteWafConfig(RouteWafConfig.Mode.BLOCK, 1, List.of(), null));
    assertEquals(List.of("SecRuleUpdateTargetById 200005 \"!TX:MSC_PCRE_LIMITS_EXCEEDED\"", "SecRuleEngine On"),
        WafDirectives.after(noFreeText), "freeTextFields: [] inspects them too; onRegexLimit: pass");
    assertTrue(WafDirectives.before(detect).get(0).contains("inbound_anomaly_score_threshold=5"),
        "the gateway's threshold when the route sets none");
  }

  /**
   * Padding a value until a pattern gives up must not make it pass as clean: the engine flags
   * TX:MSC_PCRE_LIMITS_EXCEEDED and, with onRegexLimit: block (the default), the rule after CRS's
   * own denies the request; with pass it goes on, as in ModSecurity. A pattern that finishes is
   * not affected.
   */
  @Test
  void aValueAPatternGivesUpOnIsDeniedUnlessPassIsChosen() throws Exception {
    // One of CRS 3.3.4's XSS patterns (941370's family): cubic on quotes and dots with no "=" after
    // them, far over the step budget at 900 characters.
    Path rule = Files.writeString(dir.resolve("REQUEST-999-PATHOLOGICAL.conf"),
        "SecRule ARGS \"@rx (?i)[\\\"'][ ]*(?:[^a-z0-9~_:' ]|in).+?[.].+?=\" "
            + "\"id:1001,phase:2,pass,log,msg:'pathological'\"\n");
    List<Path> files = List.of(WafDirectives.baseFile(), rule);
    WafRequest padded = request("/?q=%3D" + "%27%28.".repeat(300));
    WafRequest plain = request("/?q=hello+b");

    WafSettings block = settings("/crs", "/setup.conf", RouteWafConfig.Mode.BLOCK, 1, null, List.of());
    assertTrue(block.blockOnRegexLimit(), "block is the default");
    RuleSet blocking = RuleSet.load(List.of(), files, WafDirectives.after(block));
    WafOutcome denied = blocking.evaluate(padded);
    assertTrue(denied.disrupted(), denied.toString());
    assertEquals(403, denied.status());
    assertEquals(WafDirectives.REGEX_LIMIT_RULE_ID, denied.ruleId());
    assertFalse(blocking.evaluate(plain).disrupted());

    WafSettings pass = WafSettings.of(new WafConfig("/crs", "/setup.conf", null, null, null, null,
        WafConfig.RegexLimitAction.PASS), new RouteWafConfig(RouteWafConfig.Mode.BLOCK, 1, List.of(), null));
    WafOutcome passed = RuleSet.load(List.of(), files, WafDirectives.after(pass)).evaluate(padded);
    assertFalse(passed.disrupted(), "onRegexLimit: pass, and ModSecurity's rule 200005 does not count it: " + passed);
  }

  private static WafRequest request(String uri) {
    return new WafRequest("GET", uri, "HTTP/1.1", List.of(Map.entry("Host", "example.com")), null, false,
        "10.1.2.3", 5555, 8080);
  }

  @Test
  void exclusionsAreRemovedAfterTheRulesNormalisedAndSorted() {
    WafSettings s = settings("/crs", "/setup.conf", RouteWafConfig.Mode.BLOCK, 1, null,
        List.of("942200", " 920300 - 920350", "942100", "942100"));
    assertEquals(List.of("920300-920350", "942100", "942200"), s.excludeRules());
    assertEquals(List.of("SecRuleRemoveById 920300-920350 942100 942200", FREE_TEXT_SQLI, FREE_TEXT_RCE,
        REGEX_LIMIT, "SecRuleEngine On"), WafDirectives.after(s));
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
