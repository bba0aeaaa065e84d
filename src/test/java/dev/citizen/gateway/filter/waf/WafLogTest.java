package dev.citizen.gateway.filter.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The matched-data fragment and the anomaly score the WAF log line carries. */
class WafLogTest {
  @Test
  void fragmentsAreShortWithoutControlCharactersAndMasked() {
    assertEquals("' or 1=1--", WafLog.fragment("' or 1=1--"));
    assertEquals("a".repeat(40) + "…", WafLog.fragment("a".repeat(41)));
    assertEquals("<script>?alert(1)?", WafLog.fragment("<script>\nalert(1)\u0000"));
    assertEquals("ssn [id] mail [email]", WafLog.fragment("ssn 555-12-3456 mail ada@example.org"));
  }

  @Test
  void theScoreComesFromCrsBlockingEvaluation() {
    assertEquals(15, WafLog.score("Inbound Anomaly Score Exceeded (Total Score: 15)"));
    assertNull(WafLog.score("SQL Injection Attack Detected via libinjection"));
  }
}
