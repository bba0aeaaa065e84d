package dev.citizen.gateway.config;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web application firewall on one route: the route's {@code waf} key, e.g. {@code waf: {mode:
 * block, paranoiaLevel: 2, excludeRules: [942100, 920300-920350]}}. The rules are the OWASP Core
 * Rule Set that {@code waf.crsDir} names.
 *
 * @param mode {@code off}, {@code detect} (matches are logged, nothing is blocked) or {@code block}
 *     (a request whose anomaly score reaches the threshold is answered 403); required
 * @param paranoiaLevel the CRS paranoia level, 1..4: higher levels run more rules and find more,
 *     with more false positives (default 1)
 * @param excludeRules rule ids, or ranges {@code first-last}, removed for this route (default none)
 * @param anomalyThreshold this route's inbound anomaly threshold (default {@code
 *     waf.anomalyThreshold})
 */
public record RouteWafConfig(Mode mode, Integer paranoiaLevel, List<String> excludeRules, Integer anomalyThreshold) {
  private static final Pattern RULE = Pattern.compile("\\s*(\\d{1,9})\\s*(?:-\\s*(\\d{1,9})\\s*)?");

  /** What the WAF does on a route. */
  public enum Mode {
    OFF, DETECT, BLOCK
  }

  public RouteWafConfig {
    paranoiaLevel = paranoiaLevel == null ? 1 : paranoiaLevel;
    excludeRules = excludeRules == null ? List.of() : excludeRules;
  }

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {
    if (mode == null) {
      errors.add(new ConfigError(path + ".mode", "missing (expected: off, detect or block)"));
    }
    if (paranoiaLevel < 1 || paranoiaLevel > 4) {
      errors.add(new ConfigError(path + ".paranoiaLevel", paranoiaLevel + " (expected: 1..4)"));
    }
    for (int i = 0; i < excludeRules.size(); i++) {
      String r = excludeRules.get(i);
      if (r != null && parseRange(r) == null) {
        errors.add(new ConfigError(path + ".excludeRules[" + i + "]", "\"" + r
            + "\" (expected: a rule id such as 942100, or a range such as 942100-942199)"));
      }
    }
    if (anomalyThreshold != null) {
      threshold(errors, path + ".anomalyThreshold", anomalyThreshold);
    }
  }

  /** The route's threshold, or the gateway's. */
  public int threshold(WafConfig gateway) {
    return anomalyThreshold != null ? anomalyThreshold : gateway.anomalyThreshold();
  }

  /**
   * An exclusion as {@code {first, last}} ({@code first == last} for one id), or null when it is
   * not an id or an ascending range.
   */
  public static long[] parseRange(String text) {
    Matcher m = RULE.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long first = Long.parseLong(m.group(1));
    long last = m.group(2) == null ? first : Long.parseLong(m.group(2));
    return first < 1 || last < first ? null : new long[] {first, last};
  }

  static void threshold(List<ConfigError> errors, String path, int threshold) {
    if (threshold < 1 || threshold > 10_000) {
      errors.add(new ConfigError(path, threshold + " (expected: 1..10000; 5 blocks on one critical match)"));
    }
  }
}
