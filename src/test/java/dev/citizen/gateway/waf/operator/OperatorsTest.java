package dev.citizen.gateway.waf.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorsTest {

  /** A transaction stand-in: %{name} macros from a map, captures recorded. */
  static final class Ctx implements OperatorContext {
    final Map<String, String> vars = new HashMap<>();
    final Map<Integer, String> captured = new HashMap<>();
    boolean capturing;

    Ctx capture() {
      capturing = true;
      return this;
    }

    @Override
    public String expand(String text) {
      String out = text;
      for (Map.Entry<String, String> e : vars.entrySet()) {
        out = out.replace("%{" + e.getKey() + "}", e.getValue());
      }
      return out;
    }

    @Override
    public boolean capturing() {
      return capturing;
    }

    @Override
    public void capture(int index, String value) {
      captured.put(index, value);
    }
  }

  static boolean test(String op, String param, String input) {
    return Operators.compile(op, param, null).test(new Ctx(), input);
  }

  @Test
  void rxSearchesAndCaptures() {
    Ctx ctx = new Ctx().capture();
    assertTrue(Operators.compile("rx", "(\\d+)-(\\d+)?", null).test(ctx, "bytes=10-"));
    assertEquals("10-", ctx.captured.get(0));
    assertEquals("10", ctx.captured.get(1));
    assertEquals("", ctx.captured.get(2));
    assertFalse(test("rx", "^abc$", "xabc"));
  }

  @Test
  void rxUsesModSecuritysFlags() {
    assertTrue(test("rx", "a.b", "a\nb"), "DOTALL");
    assertTrue(test("rx", "^b$", "a\nb\nc"), "MULTILINE, LF only");
    assertTrue(test("rx", "(?i)SELECT", "select"));
    assertFalse(test("rx", "(?i)\u00c9", "\u00e9"), "case folding is ASCII only, like PCRE without UTF");
    assertFalse(test("rx", "\\w", "\u00e9"), "\\w is ASCII");
    assertTrue(test("rx", "a\\b", "a\u00e9"), "\\b sees 0xE9 as a non-word byte, as PCRE does");
    assertFalse(test("rx", "a\\B", "a\u00e9"));
  }

  @Test
  void rxTranslatesPcreOnlySyntax() {
    assertTrue(test("rx", "a{", "a{"), "literal {");
    assertTrue(test("rx", "x{,5}", "x{,5}"), "{,n} is literal in PCRE");
    assertTrue(test("rx", "a{2}", "aa"), "a real quantifier");
    assertTrue(test("rx", "[[:alpha:]]+[[:digit:]]", "ab1"));
    assertTrue(test("rx", "[[:^space:]]", " x"));
    assertTrue(test("rx", "[a[]", "["), "[ inside a class");
    assertTrue(test("rx", "[&&]", "&"), "&& is not an intersection in PCRE");
    assertTrue(test("rx", "[]a]", "]"), "a leading ] is literal");
    assertTrue(test("rx", "\\_\\'\\\"\\/\\@\\#\\%\\=\\:\\-\\<\\>", "_'\"/@#%=:-<>"));
    assertTrue(test("rx", "\\0", "\0"));
    assertTrue(test("rx", "\\x4", "\u0004"));
    assertTrue(test("rx", "\\x{41}\\e\\cA", "A\u001b\u0001"));
    assertTrue(test("rx", "\\Q.*\\E", ".*"));
    assertFalse(test("rx", "\\Q.*\\E", "ab"));
    assertTrue(test("rx", "[\\b]", "\b"), "\\b in a class is backspace");
    assertTrue(test("rx", "\\y", "y"), "an unknown letter escape is the letter");
    assertTrue(test("rx", "(?:a|b)++c", "abc"), "possessive");
    assertTrue(test("rx", "\\h\\v\\R", " \u000b\r\n"));
  }

  @Test
  void rxAnchorsALeadingDotStarAndChecksRequiredCharacters() {
    assertTrue(test("rx", ".*\\.(?:php\\d*|phtml)\\.*$", "shell.php5"));
    assertFalse(test("rx", ".*\\.(?:php\\d*|phtml)\\.*$", "a".repeat(100_000)));
    assertTrue(test("rx", "(\\d+)-(\\d+)", "0".repeat(50_000) + "-1"));
    assertFalse(test("rx", "(\\d+)-(\\d+)", "0".repeat(100_000)));
    assertEquals("-", new String(RequiredChars.of("(\\d+)-(\\d+)")));
    assertEquals("having", new String(RequiredChars.of("(?i)\\W+\\d*?\\s*?having\\s*?[^\\s\\-]")));
    assertEquals("", new String(RequiredChars.of("a|b")));
    assertEquals("b", new String(RequiredChars.of("a?b*b")));
    assertTrue(test("rx", "(?i)\\W+having", " HAVING"));
  }

  @Test
  void rxExpandsMacrosPerCall() {
    Operator op = Operators.compile("rx", "^%{tx.charsets}$", null);
    Ctx ctx = new Ctx();
    ctx.vars.put("tx.charsets", "utf-8|iso-8859-1");
    assertTrue(op.test(ctx, "utf-8"));
    assertFalse(op.test(ctx, "utf-7"));
  }

  @Test
  void rxRejectsBrokenPatterns() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Operators.compile("rx", "(a", null));
    assertTrue(e.getMessage().startsWith("@rx: cannot compile (a"), e.getMessage());
  }

  @Test
  void phraseMatch() {
    Ctx ctx = new Ctx().capture();
    Operator op =
        Operators.compile("pm", "document.cookie .innerhtml <!-- <![cdata[", null);
    assertTrue(op.test(ctx, "x=DOCUMENT.Cookie"));
    assertEquals("document.cookie", ctx.captured.get(0));
    assertTrue(op.test(ctx, "a.innerHTML=1"));
    assertFalse(op.test(ctx, "document cookie"));
    assertTrue(test("pm", "he she his hers", "ushers"));
    // Failure links: "abce" fails at 'd' and must continue inside "bcd".
    assertTrue(test("pm", "abce bcd", "xabcd"));
    assertFalse(test("pm", "abce bcdf", "xabcd"));
  }

  @Test
  void phraseMatchFromFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("words.data"), "# a comment\n\n  # indented comment\nfoo bar\r\nends with space \nbaz\n");
    Operator op = Operators.compile("pmFromFile", "words.data", dir);
    assertTrue(op.test(new Ctx(), "xxFOO BARxx"));
    assertTrue(op.test(new Ctx(), "ends with space ok"));
    assertFalse(op.test(new Ctx(), "ends with space"), "the trailing space is part of the phrase");
    assertFalse(op.test(new Ctx(), "foo"));
    assertFalse(op.test(new Ctx(), "a comment"));
    assertTrue(Operators.compile("pmf", "words.data", dir).test(new Ctx(), "baz"));
    assertThrows(IllegalArgumentException.class, () -> Operators.compile("pmFromFile", "missing.data", dir));
  }

  @Test
  void phraseMatchFromCrsDataFiles() {
    Path crs = CrsRegexCompileTest.CRS;
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(crs));
    Operator op = Operators.compile("pmFromFile", "lfi-os-files.data", crs);
    assertTrue(op.test(new Ctx(), "../../etc/passwd"));
    assertFalse(op.test(new Ctx(), "/api/patients/42"));
    assertTrue(Operators.compile("pmFromFile", "scanners-user-agents.data", crs).test(new Ctx(), "sqlmap/1.7"));
  }

  @Test
  void stringComparisons() {
    assertTrue(test("streq", "POST", "POST"));
    assertFalse(test("streq", "POST", "post"));
    assertTrue(test("beginsWith", "/admin", "/admin/x"));
    assertFalse(test("beginsWith", "/admin", "/x/admin"));
    assertTrue(test("endsWith", ".php", "a.php"));
    assertTrue(test("contains", "..", "/a/../b"));
    assertTrue(test("strmatch", "WebZIP", "Mozilla WebZIP"));
    assertTrue(test("containsWord", "select", "1 select x"));
    assertFalse(test("containsWord", "select", "selection"));
    assertTrue(test("containsWord", "select", "_select select"));
    assertFalse(test("containsWord", "select", "_select"));
  }

  @Test
  void withinExpandsItsListPerCall() {
    Operator op = Operators.compile("within", "%{tx.allowed_methods}", null);
    Ctx ctx = new Ctx();
    ctx.vars.put("tx.allowed_methods", "GET HEAD POST OPTIONS");
    assertTrue(op.test(ctx, "POST"));
    assertFalse(op.test(ctx, "DELETE"));
    assertTrue(op.test(ctx, "GE"), "a substring, as in ModSecurity");
    ctx.vars.put("tx.allowed_methods", "GET DELETE");
    assertTrue(op.test(ctx, "DELETE"));
  }

  @Test
  void numericComparisons() {
    assertTrue(test("eq", "0", "abc"), "not a number counts as 0");
    assertTrue(test("eq", "5", " 5xyz"));
    assertTrue(test("ge", "5", "5"));
    assertTrue(test("gt", "5", "6"));
    assertFalse(test("gt", "5", "5"));
    assertTrue(test("le", "-1", "-2"));
    assertTrue(test("lt", "10", "9"));
    assertTrue(test("eq", "0", "99999999999"), "out of range counts as 0");
    Operator op = Operators.compile("ge", "%{tx.inbound_anomaly_score_threshold}", null);
    Ctx ctx = new Ctx();
    ctx.vars.put("tx.inbound_anomaly_score_threshold", "5");
    assertTrue(op.test(ctx, "5"));
    assertFalse(op.test(ctx, "3"));
  }

  @Test
  void validateByteRange() {
    assertFalse(test("validateByteRange", "32-36,38-126", "hello world"));
    assertTrue(test("validateByteRange", "32-36,38-126", "a%b"));
    assertTrue(test("validateByteRange", "1-255", "a\0b"));
    assertFalse(test("validateByteRange", "9,10,13,32-126", "a\tb\r\n"));
    assertThrows(IllegalArgumentException.class, () -> Operators.compile("validateByteRange", "1-256", null));
  }

  @Test
  void validateEncodings() {
    assertFalse(test("validateUrlEncoding", "", "a%20b"));
    assertTrue(test("validateUrlEncoding", "", "a%2"));
    assertTrue(test("validateUrlEncoding", "", "a%zzb"));
    assertFalse(test("validateUtf8Encoding", "", "caf\u00c3\u00a9 \u00e2\u0082\u00ac"));
    assertTrue(test("validateUtf8Encoding", "", "\u00c0\u00af"), "overlong");
    assertTrue(test("validateUtf8Encoding", "", "\u00e9t\u00e9"), "Latin-1 is not UTF-8");
    assertTrue(test("validateUtf8Encoding", "", "\u00ed\u00a0\u0080"), "surrogate");
    assertTrue(test("validateUtf8Encoding", "", "\u00c3"), "truncated");
  }

  @Test
  void ipMatch(@TempDir Path dir) throws IOException {
    assertTrue(test("ipMatch", "127.0.0.1,::1", "127.0.0.1"));
    assertTrue(test("ipMatch", "127.0.0.1,::1", "::1"));
    assertFalse(test("ipMatch", "127.0.0.1,::1", "127.0.0.2"));
    assertTrue(test("ipMatch", "10.0.0.0/8, 2001:db8::/32", "10.200.1.1"));
    assertTrue(test("ipMatch", "10.0.0.0/8,2001:db8::/32", "2001:db8:1::5"));
    assertFalse(test("ipMatch", "10.0.0.0/8", "example.com"), "never resolved");
    assertTrue(test("ipMatch", "0.0.0.0/0", "255.255.255.255"));
    for (String notAnAddress : new String[] {"10.0.0", "10.0.0.1.", ".10.0.0.1", "10..0.1", "10.0.0.256",
        "10.0.0.1000", "10.0.0.-1", "10.0.0.1x", "1.2.3.4.5", ""}) {
      assertFalse(test("ipMatch", "0.0.0.0/0", notAnAddress), notAnAddress);
    }
    assertThrows(IllegalArgumentException.class, () -> Operators.compile("ipMatch", "10.0.0.0/33", null));
    Files.writeString(dir.resolve("ips.data"), "# bad hosts\n192.168.0.0/16\n");
    assertTrue(Operators.compile("ipMatchFromFile", "ips.data", dir).test(new Ctx(), "192.168.3.4"));
  }

  @Test
  void unconditionalAndNoMatch() {
    assertTrue(test("unconditionalMatch", "", "x"));
    assertFalse(test("noMatch", "", "x"));
  }

  @Test
  void verifyCC() {
    Operator op = Operators.compile("verifyCC", "\\d{4}[- ]?\\d{4}[- ]?\\d{4}[- ]?\\d{4}", null);
    assertTrue(op.test(new Ctx(), "card 4111-1111-1111-1111 thanks"));
    assertFalse(op.test(new Ctx(), "card 4111-1111-1111-1112"));
  }

  @Test
  void geoLookupAndRblLoadButNeverMatch() {
    assertFalse(test("geoLookup", "", "8.8.8.8"));
    assertFalse(test("rbl", "dnsbl.httpbl.org", "8.8.8.8"));
  }

  @Test
  void unsupportedAndUnknownOperatorsAreRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Operators.compile("inspectFile", "x.sh", null));
    assertEquals("operator @inspectFile is not supported", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Operators.compile("fuzzyHash", "x", null));
    e = assertThrows(IllegalArgumentException.class, () -> Operators.compile("frobnicate", "", null));
    assertEquals("unknown operator: @frobnicate", e.getMessage());
  }

  /** Passes once the libinjection port has landed (Libinjection throws until then). */
  @Test
  void detectSQLiFindsATautologyAndCapturesTheFingerprint() {
    Ctx ctx = new Ctx().capture();
    assertTrue(Operators.compile("detectSQLi", "", null).test(ctx, "1' or '1'='1"));
    assertTrue(ctx.captured.get(0) != null && !ctx.captured.get(0).isEmpty());
    assertFalse(Operators.compile("detectSQLi", "", null).test(new Ctx(), "O'Brien"));
  }

  /** Passes once the libinjection port has landed (Libinjection throws until then). */
  @Test
  void detectXSSFindsAScriptTag() {
    assertTrue(test("detectXSS", "", "<script>alert(1)</script>"));
    assertFalse(test("detectXSS", "", "blood pressure < 120"));
  }
}
