package dev.citizen.gateway.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.citizen.gateway.config.AccessLogConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The query field: values redacted unless allowed, allowed ones still masked, masked names always redacted. */
class QueryRedactorTest {
  private static QueryRedactor redactor(List<String> clear, List<String> masked) {
    return new QueryRedactor(new AccessLogConfig(true, null, true, clear, masked, null, null), PhiMasker.DEFAULT);
  }

  @Test
  void everyValueIsRedactedByDefault() {
    QueryRedactor r = redactor(List.of(), List.of());
    assertEquals("page=***&q=***", r.redact("page=2&q=diabetes"));
    assertNull(r.redact(null));
    assertNull(r.redact(""));
  }

  @Test
  void allowedValuesAreLoggedDecodedAndMasked() {
    QueryRedactor r = redactor(List.of("page", "Q", "email"), List.of());
    assertEquals("PAGE=2&q=a b&email=***&other=***", r.redact("PAGE=2&q=a%20b&email=jane%40example.org&other=x"),
        "names case-insensitive; email stays masked although allowed");
    assertEquals("q=call [phone]", r.redact("q=call%20555-123-4567"), "a clear value is still masked");
    assertEquals("page=&flag&[email]", r.redact("page=&&flag&jane@example.org"), "empty parts dropped");
    assertEquals("page=1=2", r.redact("page=1=2"));
  }

  @Test
  void configuredMaskedNamesWin() {
    QueryRedactor r = redactor(List.of("mrn", "page"), List.of("MRN"));
    assertEquals("mrn=***&page=3", r.redact("mrn=000123&page=3"));
  }
}
