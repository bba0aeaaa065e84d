package dev.citizen.gateway.config;

import java.util.List;

/**
 * The web application firewall's gateway-wide settings: the {@code waf} key. Which routes it
 * inspects, and how strictly, is set per route ({@link RouteWafConfig}).
 *
 * @param crsDir the OWASP Core Rule Set 3.x directory; its {@code rules/*.conf} are loaded
 *     (default {@code /usr/share/modsecurity-crs}, where Debian's {@code modsecurity-crs} puts it)
 * @param crsSetup the CRS setup file, loaded before the rules (default
 *     {@code /etc/modsecurity/crs/crs-setup.conf})
 * @param bodyLimit request bodies up to this size are inspected (default 128KiB)
 * @param bodyLimitAction what happens to a larger body: {@code reject} (413) or {@code partial}
 *     (its first {@code bodyLimit} bytes are inspected, the rest streams through unread; default
 *     reject)
 * @param anomalyThreshold the inbound anomaly score at which a request is blocked
 *     ({@code tx.inbound_anomaly_score_threshold}; default 5, CRS's own: one critical match)
 */
public record WafConfig(String crsDir, String crsSetup, DataSize bodyLimit, BodyLimitAction bodyLimitAction,
    Integer anomalyThreshold) {
  public static final WafConfig DEFAULT = new WafConfig(null, null, null, null, null);
  static final long MAX_BODY_LIMIT = 64L * 1024 * 1024;

  /** What happens to a body over {@code bodyLimit}. */
  public enum BodyLimitAction {
    /** 413, nothing is forwarded. */
    REJECT,
    /** The first {@code bodyLimit} bytes are inspected, the rest is forwarded uninspected. */
    PARTIAL
  }

  public WafConfig {
    crsDir = crsDir == null ? "/usr/share/modsecurity-crs" : crsDir;
    crsSetup = crsSetup == null ? "/etc/modsecurity/crs/crs-setup.conf" : crsSetup;
    bodyLimit = bodyLimit == null ? DataSize.ofKiB(128) : bodyLimit;
    bodyLimitAction = bodyLimitAction == null ? BodyLimitAction.REJECT : bodyLimitAction;
    anomalyThreshold = anomalyThreshold == null ? 5 : anomalyThreshold;
  }

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {
    if (crsDir.isBlank()) {
      errors.add(new ConfigError(path + ".crsDir", "empty (expected: the CRS directory, such as "
          + "/usr/share/modsecurity-crs)"));
    }
    if (crsSetup.isBlank()) {
      errors.add(new ConfigError(path + ".crsSetup", "empty (expected: the CRS setup file, such as "
          + "/etc/modsecurity/crs/crs-setup.conf)"));
    }
    if (bodyLimit.bytes() < 1 || bodyLimit.bytes() > MAX_BODY_LIMIT) {
      errors.add(new ConfigError(path + ".bodyLimit", bodyLimit + " (expected: 1B..64MiB; bodies up to it are "
          + "held in memory while they are inspected)"));
    }
    RouteWafConfig.threshold(errors, path + ".anomalyThreshold", anomalyThreshold);
  }
}
