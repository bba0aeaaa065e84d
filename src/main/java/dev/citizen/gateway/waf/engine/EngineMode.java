package dev.citizen.gateway.waf.engine;

import java.util.Locale;

/** {@code SecRuleEngine}: whether rules run, and whether they may disrupt. */
public enum EngineMode {
  ON, DETECTION_ONLY, OFF;

  static EngineMode parse(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "on" -> ON;
      case "off" -> OFF;
      case "detectiononly" -> DETECTION_ONLY;
      default -> throw new IllegalArgumentException("rule engine mode: " + text
          + " (expected: On, Off or DetectionOnly)");
    };
  }
}
