package dev.citizen.gateway.filter.waf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@link WafSettings} into what the engine loads, the way CRS is configured by hand:
 *
 * <ul>
 *   <li>{@code before}: one {@code SecAction} setting {@code tx.paranoia_level},
 *       {@code tx.executing_paranoia_level}, {@code tx.inbound_anomaly_score_threshold} and the
 *       allowed content types (CRS's plus FHIR's). It runs first in phase 1, so CRS's
 *       initialisation (rule 901xxx) keeps these values instead of its defaults. Debian's
 *       crs-setup.conf sets none of them (its 900000.. actions are comments); a setup file that
 *       does set them runs later and wins. Then two rules that parse FHIR JSON and XML bodies as
 *       the recommended configuration parses {@code application/json} and {@code text/xml}.
 *   <li>{@code files}: ModSecurity's recommended base configuration (request body access, the body
 *       processors for XML and JSON, the body-error rules; shipped with the engine as the resource
 *       {@code waf/modsecurity-base.conf}), then crs-setup.conf, then {@code rules/*.conf} in name
 *       order, as Debian's {@code owasp-crs.load} includes them.
 *   <li>{@code after}: {@code SecRuleRemoveById} for the exclusions (it removes rules already
 *       loaded, so it must come after them), {@code SecRuleUpdateTargetByTag} taking the free-text
 *       fields out of the SQLi and RCE rules' targets, and {@code SecRuleEngine On} or {@code DetectionOnly}
 *       (after the base configuration, which sets DetectionOnly itself).
 * </ul>
 */
final class WafDirectives {
  /** The engine's copy of ModSecurity's recommended configuration, on the classpath. */
  static final String BASE_RESOURCE = "waf/modsecurity-base.conf";
  /** The id of the gateway's own SecAction; outside CRS's 9000xx setup ids, so no clash. */
  static final int SETTINGS_RULE_ID = 9_000_001;
  /** The rule that denies a request some pattern could not inspect (waf.onRegexLimit: block). */
  static final int REGEX_LIMIT_RULE_ID = 9_000_010;

  /**
   * CRS 3.3.4's default {@code tx.allowed_request_content_type} (rule 901162) plus the media types
   * of FHIR and JSON Patch: without them rule 920420 scores every FHIR request as critical and
   * blocks it at paranoia level 1. A crs-setup.conf that sets the list (its 900220) wins.
   */
  static final String ALLOWED_CONTENT_TYPES = "|application/x-www-form-urlencoded| |multipart/form-data| "
      + "|multipart/related| |text/xml| |application/xml| |application/soap+xml| |application/json| "
      + "|application/cloudevents+json| |application/cloudevents-batch+json| "
      + "|application/fhir+json| |application/fhir+xml| |application/json-patch+json| |application/merge-patch+json|";

  /**
   * CRS's default {@code tx.allowed_methods} (GET HEAD POST OPTIONS) plus the methods of REST and
   * FHIR writes: without them rule 911100 blocks every PUT, PATCH and DELETE at paranoia level 1.
   * Which methods a route takes is its {@code match.methods}' business (405 with Allow).
   */
  static final String ALLOWED_METHODS = "GET HEAD POST OPTIONS PUT PATCH DELETE";

  private static volatile Path baseFile;

  private WafDirectives() {}

  static List<String> before(WafSettings s) {
    return List.of(
        "SecAction \"id:" + SETTINGS_RULE_ID + ",phase:1,pass,nolog,t:none"
            + ",setvar:tx.paranoia_level=" + s.paranoiaLevel()
            + ",setvar:tx.executing_paranoia_level=" + s.paranoiaLevel()
            + ",setvar:tx.inbound_anomaly_score_threshold=" + s.anomalyThreshold()
            + ",setvar:'tx.allowed_methods=" + ALLOWED_METHODS + "'"
            + ",setvar:'tx.allowed_request_content_type=" + ALLOWED_CONTENT_TYPES + "'\"",
        // FHIR and JSON Patch bodies are JSON (XML): parsed into ARGS like application/json, so
        // the rules see their values, not one opaque REQUEST_BODY.
        "SecRule REQUEST_HEADERS:Content-Type \"@rx ^application/(?:fhir|json-patch|merge-patch)\\+json\" "
            + "\"id:" + (SETTINGS_RULE_ID + 1) + ",phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON\"",
        "SecRule REQUEST_HEADERS:Content-Type \"@rx ^application/fhir\\+xml\" "
            + "\"id:" + (SETTINGS_RULE_ID + 2) + ",phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML\"");
  }

  static List<String> after(WafSettings s) {
    List<String> out = new ArrayList<>();
    if (!s.excludeRules().isEmpty()) {
      out.add("SecRuleRemoveById " + String.join(" ", s.excludeRules()));
    }
    if (!s.freeTextFields().isEmpty()) {
      String fields = "!ARGS:/(?:^|\\.)(?:" + String.join("|", s.freeTextFields()) + ")$/";
      out.add("SecRuleUpdateTargetByTag \"attack-sqli\" \"" + fields + "\"");
      out.add("SecRuleUpdateTargetByTag \"attack-rce\" \"" + fields + "\"");
    }
    if (s.blockOnRegexLimit()) {
      // Last in phase 2, after CRS's blocking evaluation: any rule of the request phases whose
      // pattern gave up on a value flagged it, and a request not fully inspected is not let through.
      out.add("SecRule TX:MSC_PCRE_LIMITS_EXCEEDED \"@eq 1\" \"id:" + REGEX_LIMIT_RULE_ID
          + ",phase:2,t:none,deny,status:403,log,msg:'Request not fully inspected: a rule pattern gave up on a value"
          + " (regex limits)',tag:'gateway-waf/regex-limit'\"");
    } else {
      // ModSecurity's base rule 200005 denies on any TX:MSC_ flag; with "pass" this one does not count.
      out.add("SecRuleUpdateTargetById 200005 \"!TX:MSC_PCRE_LIMITS_EXCEEDED\"");
    }
    out.add("SecRuleEngine " + (s.blocking() ? "On" : "DetectionOnly"));
    return out;
  }

  /**
   * The base configuration, crs-setup.conf and the rule files; throws {@link WafLoadException}
   * naming the setting when one is missing.
   */
  static List<Path> files(WafSettings s) {
    List<Path> files = new ArrayList<>();
    files.add(baseFile());
    Path setup = Path.of(s.crsSetup());
    if (!Files.isRegularFile(setup)) {
      throw new WafLoadException(WafLoadException.Setting.CRS_SETUP, s.crsSetup() + " is not a readable file");
    }
    files.add(setup);
    Path rules = Path.of(s.crsDir()).resolve("rules");
    List<Path> ruleFiles = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(rules, "*.conf")) {
      dir.forEach(ruleFiles::add);
    } catch (IOException e) {
      throw new WafLoadException(WafLoadException.Setting.CRS_DIR, rules + " cannot be read ("
          + e.getClass().getSimpleName() + ")");
    }
    if (ruleFiles.isEmpty()) {
      throw new WafLoadException(WafLoadException.Setting.CRS_DIR, rules + " holds no *.conf rule files");
    }
    ruleFiles.sort(null);
    files.addAll(ruleFiles);
    return files;
  }

  /** The base configuration resource, copied once to a temp file: the engine loads files. */
  static Path baseFile() {
    Path f = baseFile;
    if (f != null) {
      return f;
    }
    synchronized (WafDirectives.class) {
      if (baseFile == null) {
        try (InputStream in = WafDirectives.class.getClassLoader().getResourceAsStream(BASE_RESOURCE)) {
          if (in == null) {
            throw new WafLoadException(WafLoadException.Setting.ROUTE, "the engine's base configuration "
                + BASE_RESOURCE + " is not on the classpath");
          }
          Path tmp = Files.createTempFile("citizen-waf-base", ".conf");
          tmp.toFile().deleteOnExit();
          Files.write(tmp, in.readAllBytes());
          baseFile = tmp;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return baseFile;
    }
  }
}
