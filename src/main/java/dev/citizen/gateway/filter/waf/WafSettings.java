package dev.citizen.gateway.filter.waf;

import dev.citizen.gateway.config.RouteWafConfig;
import dev.citizen.gateway.config.WafConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a compiled rule set depends on: the CRS files, the mode, the paranoia level, the anomaly
 * threshold and the excluded rules. Routes with equal settings share one rule set, and a reload
 * that keeps them reuses it ({@link WafRuleSets}): loading CRS takes a while.
 *
 * @param crsDir the CRS directory ({@code rules/*.conf} are loaded)
 * @param crsSetup the CRS setup file
 * @param blocking {@code SecRuleEngine On} (true) or {@code DetectionOnly}
 * @param paranoiaLevel 1..4
 * @param anomalyThreshold the inbound anomaly score threshold
 * @param excludeRules the excluded ids and ranges, normalised ({@code 942100}, {@code 920300-920350})
 *     and sorted, so that the same exclusions written differently share a rule set
 * @param freeTextFields JSON field names the SQLi and RCE rules skip ({@code waf.freeTextFields})
 */
public record WafSettings(String crsDir, String crsSetup, boolean blocking, int paranoiaLevel, int anomalyThreshold,
    List<String> excludeRules, List<String> freeTextFields, boolean blockOnRegexLimit) {

  public WafSettings {
    excludeRules = List.copyOf(excludeRules);
    freeTextFields = List.copyOf(freeTextFields);
  }

  /** The settings of a route whose {@code waf.mode} is detect or block. */
  public static WafSettings of(WafConfig gateway, RouteWafConfig route) {
    List<long[]> ranges = new ArrayList<>();
    for (String r : route.excludeRules()) {
      long[] range = RouteWafConfig.parseRange(r);
      if (range != null) {
        ranges.add(range);
      }
    }
    ranges.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));
    List<String> normal = new ArrayList<>();
    for (long[] r : ranges) {
      String s = r[0] == r[1] ? Long.toString(r[0]) : r[0] + "-" + r[1];
      if (!normal.contains(s)) {
        normal.add(s);
      }
    }
    return new WafSettings(gateway.crsDir(), gateway.crsSetup(), route.mode() == RouteWafConfig.Mode.BLOCK,
        route.paranoiaLevel(), route.threshold(gateway), normal, gateway.freeTextFields(),
        gateway.onRegexLimit() == WafConfig.RegexLimitAction.BLOCK);
  }
}
