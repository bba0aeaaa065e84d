package dev.citizen.gateway.waf.libinjection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The public entry points on attacks CRS cares about and on benign healthcare text. */
class LibinjectionTest {

  @Test
  void classicTautologyIsSqliWithItsFingerprint() {
    assertEquals("s&sos", Libinjection.sqli("1' OR '1'='1"));
  }

  @Test
  void unionSelectIsSqli() {
    assertEquals("1UEnk", Libinjection.sqli("1 UNION SELECT password FROM users"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "' or 1=1--",
        "admin'--",
        "1; DROP TABLE users",
        "1 AND SLEEP(5)",
        "' UNION SELECT NULL,NULL--",
        "-1 OR 1=1",
        "1) OR (1=1",
        "1' AND 1=CONVERT(int,@@version)--",
        "x' AND 1=(SELECT COUNT(*) FROM tabname); --",
        "1;waitfor delay '0:0:5'--"
      })
  void attacksAreSqli(String attack) {
    assertNotNull(Libinjection.sqli(attack), attack);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<svg/onload=alert(1)>",
        "<iframe src=//evil.example>",
        "\"><script>alert(document.cookie)</script>",
        "' onmouseover='alert(1)",
        "<body background=\"javascript:alert(1)\">",
        "<div style=\"width: expression(alert(1))\">",
        "<!DOCTYPE html>",
        "<!--[if IE]><script>alert(1)</script><![endif]-->"
      })
  void attacksAreXss(String attack) {
    assertTrue(Libinjection.xss(attack), attack);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "O'Brien",
        "Mary O'Brien-Smith",
        "patient has < 5 mg/L; follow-up > 2 weeks",
        "The patient's blood pressure is 120/80 and stable.",
        "Please select one of the options from the list and update the record.",
        "Take 1-2 tablets; max 8 per day",
        "Drop-in clinic: union station, 5pm",
        "a <= b and c >= d",
        "Hemoglobin A1c 6.5%, LDL < 100 mg/dL",
        "2023-01-05T10:00:00Z",
        "urn:uuid:5f3c2a1e-8b1d-4c6e-9f0a-1b2c3d4e5f60",
        "Patient/123/_history/2",
        "Allergy: penicillin (severe); see note #4",
        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"O'Brien\",\"given\":[\"Mary\"]}]}",
        "{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":4.2,\"unit\":\"mmol/L\"}}",
        "{\"code\":{\"text\":\"Blood pressure < 140/90\"},\"status\":\"final\"}",
        "SGVsbG8gd29ybGQsIHRoaXMgaXMgYmFzZTY0IGRhdGE=",
        "hello world",
        ""
      })
  void benignTextIsNeitherSqliNorXss(String text) {
    assertNull(Libinjection.sqli(text), text);
    assertFalse(Libinjection.xss(text), text);
  }

  @Test
  void nullIsNeither() {
    assertNull(Libinjection.sqli(null));
    assertFalse(Libinjection.xss(null));
  }

  @Test
  void charsAboveByteRangeAreReadAsUtf8Bytes() {
    // U+2019 is not a quote byte; as UTF-8 (E2 80 99) this stays a plain name
    assertNull(Libinjection.sqli("O\u2019Brien"));
    assertEquals("O\u00e2\u0080\u0099Brien", Libinjection.asBytes("O\u2019Brien"));
    assertEquals("s&sos", Libinjection.sqli("\u00e91' OR '1'='1"));
  }

  @Test
  void keywordTableIsLoadedWhole() {
    // libinjection 3.9.2's sql_keywords has 9352 entries, 8367 of them fingerprints
    assertEquals(9352, SqliKeywords.get().size());
    assertEquals('U', SqliKeywords.get().lookup("union", 0, 5));
    assertEquals('F', SqliKeywords.get().lookup("0S&SOS", 0, 6));
    assertEquals(0, SqliKeywords.get().lookup("unionx", 0, 6));
  }
}
