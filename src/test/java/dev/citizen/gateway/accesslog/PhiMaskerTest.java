package dev.citizen.gateway.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the masker takes for personal data, and the ids, dates and numbers it must leave alone. */
class PhiMaskerTest {
  private final PhiMasker masker = PhiMasker.DEFAULT;

  @Test
  void emailAddresses() {
    assertEquals("/patients/[email]/notes", masker.mask("/patients/jane.doe@example.org/notes"));
    assertEquals("to [email], cc [email]", masker.mask("to a+b@mail.example.co.uk, cc o'neil@exämple.de"));
    assertEquals("/patients/[email]/notes", masker.maskDecoded("/patients/jane.doe%40example.org/notes"),
        "percent-encoding does not hide an address");
    assertEquals("/x/[email]", masker.maskDecoded("/x/jan%C3%A9%40example.org"));
  }

  @Test
  void notEmailAddresses() {
    assertUnchanged("/users/@me/settings");
    assertUnchanged("io.vertx.core.impl.ContextImpl@5a2e4553"); // Object.toString
    assertUnchanged("/a@b"); // no domain with a TLD
  }

  @Test
  void socialSecurityNumbers() {
    assertEquals("/patients/[id]", masker.mask("/patients/123-45-6789"));
    assertEquals("ssn [id].", masker.mask("ssn 123-45-6789."));
    assertEquals("/x/id-[id]", masker.mask("/x/id-123-45-6789"), "glued to letters is still an SSN");
  }

  @Test
  void phoneNumbers() {
    assertEquals("/p/[phone]", masker.mask("/p/+15551234567"), "E.164");
    assertEquals("call [phone] now", masker.mask("call +44 20 7946 0958 now"));
    assertEquals("[phone]", masker.mask("+1-555-123-4567"));
    assertEquals("/p/[phone]/x", masker.mask("/p/555-123-4567/x"));
    assertEquals("[phone]", masker.mask("(555) 123-4567"));
    assertEquals("[phone]", masker.mask("555.123.4567"));
    assertEquals("[phone]", masker.mask("1-800-555-0199"));
    assertEquals("tel [phone]", masker.mask("tel 020 7946 0958"), "national, trunk 0");
    assertEquals("[phone]", masker.mask("0612-345-678"));
    assertEquals("/p/[phone]", masker.maskDecoded("/p/%2B4915112345678"), "an encoded plus sign");
    assertEquals("bot ([phone])", masker.mask("bot (+1 555 123 4567)"));
  }

  @Test
  void datesOrderNumbersUuidsAndPlainIdsAreNotPhoneNumbers() {
    for (String s : new String[] {
        "/orders/2024-01-15", "/orders/15.01.2024", "/orders/01/15/2024", "2024-01-15T10:30:00Z",
        "/orders/ORD-2024-000123", "/orders/123456789", "/orders/5551234567", "/orders/00012345678",
        "/orders/INV-555-123-4567", "/invoices/2024-0001-0042",
        "/x/123e4567-e89b-12d3-a456-426614174000", "/x/12345678-1234-1234-1234-123456789012",
        "/api/patients/p-1001", "4bf92f3577b34da6a3ce929d0e0e4736", "v1.2.3", "10.0.19041.1234",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36",
        "gateway listening on 127.0.0.1:41111 (2 event loops, epoll transport, reusePort on)",
        "192.168.100.200", "price 1234567.89", "+12345" /* too short */, "+1234567890123456789" /* too long */}) {
      assertUnchanged(s);
    }
  }

  @Test
  void configuredPatternsMaskAsIds() {
    PhiMasker m = PhiMasker.of(List.of("\\b[A-Z]{2}\\d{6}[A-Z]\\b", "MRN-\\d+"));
    assertEquals("/uk/[id]/mrn/[id]", m.mask("/uk/QQ123456C/mrn/MRN-000042"));
    assertEquals("[email] [id]", m.mask("a@b.org MRN-7"), "the built-in patterns still apply");
    assertEquals("/uk/qq123456c", m.mask("/uk/qq123456c"));
  }

  @Test
  void nothingToMaskReturnsTheSameString() {
    String s = "/api/patients/p-1001/notes";
    assertSame(s, masker.mask(s));
    assertSame(s, masker.maskDecoded(s));
    assertEquals(null, masker.mask(null));
  }

  private void assertUnchanged(String s) {
    assertEquals(s, masker.mask(s), "must not be masked: " + s);
  }
}
