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
 * @param freeTextFields JSON fields that hold clinical free text (FHIR's {@code text},
 *     {@code valueString}, {@code comment}, {@code description}, {@code div}; matched as the last
 *     name of the flattened key, e.g. {@code json.note.array_0.text}), which the SQL-injection and
 *     command-injection rules skip: their English ("select patients where dose > 5; update the
 *     list", "HbA1c 7.9% (target < 7%)") is what those rules take for attacks. The XSS rules and
 *     every other rule still read them. Default the FHIR list above; {@code []} inspects them too.
 * @param onRegexLimit what happens when a rule's pattern gives up on a value (its step budget, the
 *     counterpart of PCRE's match limit, or the stack): {@code block} (default) denies the request
 *     in block mode, since padding a payload until some pattern gives up would otherwise pass it
 *     as clean; {@code pass} takes the rule as not matching, as ModSecurity does past its early
 *     phase. Either way the transaction has {@code TX:MSC_PCRE_LIMITS_EXCEEDED} and a WARN is logged.
 */
public record WafConfig(String crsDir, String crsSetup, DataSize bodyLimit, BodyLimitAction bodyLimitAction,
    Integer anomalyThreshold, List<String> freeTextFields, RegexLimitAction onRegexLimit) {
  /** FHIR's narrative and annotation fields (Narrative.div, Annotation.text, CodeableConcept.text, ...). */
  public static final List<String> FHIR_FREE_TEXT = List.of("text", "valueString", "comment", "description", "div");
  public static final WafConfig DEFAULT = new WafConfig(null, null, null, null, null, null, null);

  /** Settings with the default free-text fields (tests). */
  public WafConfig(String crsDir, String crsSetup, DataSize bodyLimit, BodyLimitAction bodyLimitAction,
      Integer anomalyThreshold) {
    this(crsDir, crsSetup, bodyLimit, bodyLimitAction, anomalyThreshold, null, null);
  }

  /** What happens to a request when a rule's pattern gives up on one of its values. */
  public enum RegexLimitAction {
    /** Denied (403) in block mode, logged in detect mode: a value that was not inspected is not trusted. */
    BLOCK,
    /** Logged; the request goes on with that rule taken as not matching (ModSecurity's behaviour). */
    PASS
  }
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
    freeTextFields = freeTextFields == null ? FHIR_FREE_TEXT : freeTextFields;
    onRegexLimit = onRegexLimit == null ? RegexLimitAction.BLOCK : onRegexLimit;
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
    for (int i = 0; i < freeTextFields.size(); i++) {
      String f = freeTextFields.get(i);
      if (f == null || !f.matches("[A-Za-z0-9_]+")) {
        errors.add(new ConfigError(path + ".freeTextFields[" + i + "]", "\"" + f
            + "\" (expected: a JSON field name such as text or valueString)"));
      }
    }
  }
}
