package dev.citizen.gateway.waf.seclang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecLangParserTest {

  @TempDir
  Path dir;

  private ParsedConfig parse(String text) throws Exception {
    Path f = dir.resolve("rules.conf");
    Files.writeString(f, text, StandardCharsets.ISO_8859_1);
    SecLangParser p = new SecLangParser();
    p.parseFile(f);
    return p.config();
  }

  @Test
  void continuationLinesJoinWithoutTheNextLinesIndent() {
    List<SourceLine> lines = SecLangReader.split(null,
        "# comment\n\nSecRule ARGS \"@rx a\" \\\n    \"id:1,\\\n    phase:2,\\\n    msg:'x \\\ny'\"\nSecMarker END\n");
    assertEquals(2, lines.size());
    assertEquals("SecRule ARGS \"@rx a\" \"id:1,phase:2,msg:'x y'\"", lines.get(0).text());
    assertEquals(3, lines.get(0).line());
    assertEquals(8, lines.get(1).line());
  }

  @Test
  void crlfLineEndsAreAccepted() {
    List<SourceLine> lines = SecLangReader.split(null, "SecMarker A\r\nSecMarker \\\r\n  B\r\n");
    assertEquals("SecMarker A", lines.get(0).text());
    assertEquals("SecMarker B", lines.get(1).text());
  }

  @Test
  void doubleQuotedArgumentsUnescapeOnlyQuotes() {
    List<String> args = Arguments.split(new SourceLine(null, 1,
        "SecRule REQUEST_HEADERS:Accept \"!@rx [^\\\"\\x5c]\" \"id:1\""));
    assertEquals(List.of("SecRule", "REQUEST_HEADERS:Accept", "!@rx [^\"\\x5c]", "id:1"), args);
  }

  @Test
  void actionsKeepCommasInsideSingleQuotes() {
    List<ActionSpec> a = ActionSpec.parseList(
        "id:'200000', phase:2,msg:'a, b \\'c\\'',setvar:'tx.x=+%{tx.y}',t:none,t:lowercase,chain,"
            + "ctl:ruleRemoveTargetById=942100;ARGS:pwd", "x:1");
    assertEquals(new ActionSpec("id", "200000"), a.get(0));
    assertEquals(new ActionSpec("phase", "2"), a.get(1));
    assertEquals(new ActionSpec("msg", "a, b 'c'"), a.get(2));
    assertEquals(new ActionSpec("setvar", "tx.x=+%{tx.y}"), a.get(3));
    assertEquals(new ActionSpec("t", "lowercase"), a.get(5));
    assertEquals(new ActionSpec("chain", null), a.get(6));
    assertEquals(new ActionSpec("ctl", "ruleRemoveTargetById=942100;ARGS:pwd"), a.get(7));
  }

  @Test
  void unterminatedQuoteInActionsNamesTheLine() {
    SecLangException e = assertThrows(SecLangException.class,
        () -> parse("SecMarker A\nSecAction \"id:1,msg:'oops\"\n"));
    assertTrue(e.getMessage().contains("rules.conf:2"), e.getMessage());
  }

  @Test
  void variableListsWithCountsExclusionsRegexesAndXPath() {
    List<VariableSpec> v = VariableSpec.parseList(
        "ARGS|!ARGS:foo|&ARGS|REQUEST_HEADERS:User-Agent|ARGS:/^a|b$/|!REQUEST_COOKIES:/__utm/|XML:/*|TX:/^foo/|XML://@*",
        "x");
    assertEquals(new VariableSpec("ARGS", null, false, false, false), v.get(0));
    assertEquals(new VariableSpec("ARGS", "foo", false, true, false), v.get(1));
    assertEquals(new VariableSpec("ARGS", null, false, false, true), v.get(2));
    assertEquals(new VariableSpec("REQUEST_HEADERS", "User-Agent", false, false, false), v.get(3));
    assertEquals(new VariableSpec("ARGS", "^a|b$", true, false, false), v.get(4));
    assertEquals(new VariableSpec("REQUEST_COOKIES", "__utm", true, true, false), v.get(5));
    assertEquals(new VariableSpec("XML", "/*", false, false, false), v.get(6));
    assertEquals(new VariableSpec("TX", "^foo", true, false, false), v.get(7));
    assertEquals(new VariableSpec("XML", "//@*", false, false, false), v.get(8));
  }

  @Test
  void secRuleOperatorForms() throws Exception {
    ParsedConfig c = parse("SecRule ARGS \"@rx  ^a \" \"id:1\"\n"
        + "SecRule ARGS \"!@streq x\" \"id:2\"\n"
        + "SecRule ARGS \"^plain\" \"id:3\"\n"
        + "SecRule ARGS \"!neg\" \"id:4\"\n"
        + "SecRule ARGS \"@unconditionalMatch\" \"id:5\"\n");
    RuleDef r1 = c.rules.get(0);
    assertEquals("rx", r1.operatorName());
    assertEquals("^a", r1.operatorParam());
    assertFalse(r1.operatorNegated());
    assertEquals("streq", c.rules.get(1).operatorName());
    assertTrue(c.rules.get(1).operatorNegated());
    assertEquals("rx", c.rules.get(2).operatorName());
    assertEquals("^plain", c.rules.get(2).operatorParam());
    assertTrue(c.rules.get(3).operatorNegated());
    assertEquals("neg", c.rules.get(3).operatorParam());
    assertEquals("unconditionalMatch", c.rules.get(4).operatorName());
    assertEquals("", c.rules.get(4).operatorParam());
  }

  @Test
  void chainedRulesAttachToTheirStarter() throws Exception {
    ParsedConfig c = parse("SecRule ARGS \"@rx a\" \"id:1,chain\"\n"
        + "  SecRule ARGS \"@rx b\" \"chain\"\n"
        + "  SecRule ARGS \"@rx c\" \"t:none\"\n"
        + "SecRule ARGS \"@rx d\" \"id:2\"\n");
    assertEquals(2, c.rules.size());
    assertEquals(2, c.rules.get(0).chain().size());
    assertEquals("c", c.rules.get(0).chain().get(1).operatorParam());
  }

  @Test
  void chainWithoutFollowerIsAnError() {
    SecLangException e = assertThrows(SecLangException.class,
        () -> parse("SecRule ARGS \"@rx a\" \"id:1,chain\"\n"));
    assertTrue(e.getMessage().contains("rules.conf:1"), e.getMessage());
  }

  @Test
  void ruleWithoutIdIsAnError() {
    SecLangException e = assertThrows(SecLangException.class, () -> parse("SecAction \"phase:1,pass\"\n"));
    assertTrue(e.getMessage().contains("no id"), e.getMessage());
  }

  @Test
  void unknownDirectiveNamesFileAndLine() {
    SecLangException e = assertThrows(SecLangException.class,
        () -> parse("SecMarker A\n\n# x\nSecFrobnicate On\n"));
    assertTrue(e.getMessage().contains("rules.conf:4"), e.getMessage());
    assertTrue(e.getMessage().contains("SecFrobnicate"), e.getMessage());
  }

  @Test
  void settingsAndExclusionDirectives() throws Exception {
    ParsedConfig c = parse("SecRuleEngine DetectionOnly\n"
        + "SecRequestBodyAccess Off\n"
        + "SecResponseBodyAccess On\n"
        + "SecRequestBodyLimit 1000\n"
        + "SecRequestBodyNoFilesLimit 500\n"
        + "SecRequestBodyLimitAction ProcessPartial\n"
        + "SecCollectionTimeout 600\n"
        + "SecArgumentSeparator ;\n"
        + "SecCookieFormat 0\n"
        + "SecUnicodeMapFile unicode.mapping 20127\n"
        + "SecStatusEngine Off\n"
        + "SecAuditEngine RelevantOnly\n"
        + "SecAuditLogParts ABIJDEFHZ\n"
        + "SecDebugLogLevel 0\n"
        + "SecTmpDir /tmp\n"
        + "SecDataDir /tmp\n"
        + "SecComponentSignature \"OWASP_CRS/3.3.4\"\n"
        + "SecDefaultAction \"phase:1,log,auditlog,pass\"\n"
        + "SecDefaultAction \"phase:2,log,auditlog,deny,status:403\"\n"
        + "SecRuleRemoveById 920350 921000-921999 \"1,2\"\n"
        + "SecRuleRemoveByTag attack-sqli\n"
        + "SecRuleRemoveByMsg \"Some message\"\n"
        + "SecRuleUpdateTargetById 942100 \"!ARGS:foo\"\n"
        + "SecRuleUpdateTargetById 942000-942999 \"!REQUEST_COOKIES\"\n"
        + "SecRuleUpdateTargetByTag attack-xss \"!ARGS:bar\"\n"
        + "SecRule ARGS \"@rx a\" \"id:7,pass\"\n"
        + "SecRuleUpdateActionById 7 \"deny,status:401\"\n");
    assertEquals("DetectionOnly", c.ruleEngine);
    assertFalse(c.requestBodyAccess);
    assertTrue(c.responseBodyAccess);
    assertEquals(1000, c.requestBodyLimit);
    assertEquals(500, c.requestBodyNoFilesLimit);
    assertEquals("ProcessPartial", c.requestBodyLimitAction);
    assertEquals(600, c.collectionTimeoutSeconds);
    assertEquals(';', c.argumentSeparator);
    assertEquals(List.of("OWASP_CRS/3.3.4"), c.componentSignatures);
    assertEquals(2, c.defaultActions.size());
    assertEquals(4, c.defaultActions.get(1).size());
    assertEquals(4, c.removedIdRanges.size());
    assertEquals(921000, c.removedIdRanges.get(1)[0]);
    assertEquals(921999, c.removedIdRanges.get(1)[1]);
    assertEquals(List.of("attack-sqli"), c.removedTags);
    assertEquals(List.of("Some message"), c.removedMsgs);
    assertEquals(3, c.targetUpdates.size());
    assertEquals(942000, c.targetUpdates.get(1).fromId());
    assertEquals("attack-xss", c.targetUpdates.get(2).tag());
    assertEquals(1, c.actionUpdates.size());
    assertEquals(List.of(new ActionSpec("deny", null), new ActionSpec("status", "401")),
        c.actionUpdates.get(0).actions());
  }

  @Test
  void badSettingValuesNameTheExpectation() {
    SecLangException e = assertThrows(SecLangException.class, () -> parse("SecRuleEngine Maybe\n"));
    assertTrue(e.getMessage().contains("expected: On, Off or DetectionOnly"), e.getMessage());
    assertThrows(SecLangException.class, () -> parse("SecRequestBodyLimit lots\n"));
    assertThrows(SecLangException.class, () -> parse("SecRuleRemoveById abc\n"));
  }

  @Test
  void includeWithGlobIsRelativeToTheIncludingFile() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("rules"));
    Files.writeString(sub.resolve("b.conf"), "SecAction \"id:2,pass\"\n");
    Files.writeString(sub.resolve("a.conf"), "SecAction \"id:1,pass\"\n");
    Files.writeString(sub.resolve("c.txt"), "garbage\n");
    ParsedConfig c = parse("Include rules/*.conf\nSecAction \"id:3,pass\"\n");
    assertEquals(List.of(1, 2, 3), c.rules.stream().map(RuleDef::id).toList());
  }

  @Test
  void includeOfAMissingFileIsAnError() {
    SecLangException e = assertThrows(SecLangException.class, () -> parse("Include nope.conf\n"));
    assertTrue(e.getMessage().contains("rules.conf:1"), e.getMessage());
  }

  @Test
  void linesGivenInCodeAreNamed() {
    SecLangParser p = new SecLangParser();
    SecLangException e = assertThrows(SecLangException.class,
        () -> p.parseLines(List.of("SecRuleEngine On", "Bogus"), "before"));
    assertTrue(e.getMessage().startsWith("before:2"), e.getMessage());
  }

  @Test
  void markerHasNoId() throws Exception {
    ParsedConfig c = parse("SecMarker \"END-HOST-CHECK\"\n");
    assertEquals("END-HOST-CHECK", c.rules.get(0).markerName());
    assertNull(c.rules.get(0).action("id"));
  }
}
