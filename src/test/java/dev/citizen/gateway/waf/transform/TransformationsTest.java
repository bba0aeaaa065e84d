package dev.citizen.gateway.waf.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-written cases for the transformations ModSecurity's vectors do not cover. */
class TransformationsTest {

  static String t(String name, String in) {
    return Transformations.byName(name).apply(in);
  }

  @Test
  void unknownNamesAreRejectedAndNamesAreCaseSensitive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Transformations.byName("base64decode"));
    assertEquals("unknown transformation: base64decode", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Transformations.byName("lowerCase"));
  }

  @Test
  void everyFixedPointComesBackAsTheSameInstance() {
    Set<String> changeEverything =
        Set.of("length", "md5", "sha1", "hexEncode", "hexDecode", "base64Encode", "base64Decode",
            "base64DecodeExt", "uppercase", "urlEncode", "parityEven7bit", "parityOdd7bit");
    for (String name : Transformations.names()) {
      if (changeEverything.contains(name)) {
        continue;
      }
      String in = new String("abc/def".toCharArray());
      assertSame(in, t(name, in), name);
    }
  }

  @Test
  void caseFoldingIsAsciiOnly() {
    assertEquals("abc\u00c9\u00e9", t("lowercase", "ABC\u00c9\u00e9"));
    assertEquals("ABC\u00c9\u00e9", t("uppercase", "abc\u00c9\u00e9"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "c^a\\t' \"/bin/sh|cat/bin/sh",
        "CMD.EXE /C dir|cmd.exe/c dir",
        "a,;  b|a b",
        "echo  (x)|echo(x)",
        "w\"h\"o\"a\"m\"i|whoami",
      })
  void cmdLine(String in, String out) {
    assertEquals(out, t("cmdLine", in));
  }

  @Test
  void cmdLineFoldsControlWhitespace() {
    assertEquals("a b", t("cmdLine", "a\t\r\nb"));
  }

  @Test
  void whitespace() {
    assertEquals("a b c ", t("compressWhitespace", "a \t\n b\u00a0\u00a0c\r\n"));
    assertEquals("abc", t("removeWhitespace", " a\tb\u00a0c\n"));
    assertEquals("a b", t("trim", " \t a b\r\n"));
    assertEquals("a b\n", t("trimLeft", "  a b\n"));
    assertEquals("  a b", t("trimRight", "  a b\n"));
    assertEquals("ab", t("removeNulls", "a\0b\0"));
    assertEquals("a b ", t("replaceNulls", "a\0b\0"));
  }

  @Test
  void comments() {
    assertEquals("SELECT    1 ", t("replaceComments", "SELECT/* x */ /**/ 1/* open"));
    assertEquals("select 1", t("removeComments", "select 1-- rest"));
    assertEquals("select 1", t("removeComments", "select 1# rest"));
    assertEquals("SELECTUNION x", t("removeCommentsChar", "SELECT/*UNION*/ --x#"));
  }

  @Test
  void windowsPaths() {
    assertEquals("/etc/passwd", t("normalizePathWin", "\\foo\\..\\etc\\.\\passwd"));
    assertEquals("c:/windows/win.ini", t("normalisePathWin", "c:\\windows\\\\system32\\..\\win.ini"));
    assertEquals("/etc/passwd", t("normalizePath", "/foo/../etc//./passwd"));
  }

  @Test
  void pathNormalizationSkipsOnlyValuesTheWalkWouldKeep() {
    // The shortcut for values without a separator must answer as ModSecurity's walk does.
    java.util.Random r = new java.util.Random(7);
    String alphabet = "a.b./\\";
    for (int i = 0; i < 50_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int k = r.nextInt(9); k > 0; k--) {
        b.append(alphabet.charAt(r.nextInt(i % 2 == 0 ? 3 : alphabet.length())));
      }
      String in = b.toString();
      assertEquals(PathNormalization.walk(in, false), PathNormalization.normalize(in, false), in);
      assertEquals(PathNormalization.walk(in, true), PathNormalization.normalize(in, true), in);
    }
    assertEquals("", t("normalizePath", "abc.."), "a trailing back-reference climbs out of the segment");
    assertEquals("json.note.array_0.text", t("normalizePath", "json.note.array_0.text"));
  }

  @Test
  void utf8toUnicodeUsesModSecuritysPercentUForm() {
    // From ModSecurity's utf8toUnicode.json: the UTF-8 bytes C3 90 are U+00D0.
    assertEquals("%u00d0 %u0416", t("utf8toUnicode", "\u00c3\u0090 \u00d0\u0096"));
    // Three and four byte sequences; five hex digits stay unpadded.
    assertEquals("%u20ac%u1f600", t("utf8toUnicode", "\u00e2\u0082\u00ac\u00f0\u009f\u0098\u0080"));
    // A broken sequence drops its lead byte; a stray continuation byte stays; NUL is dropped.
    assertEquals("ab\u0080c", t("utf8toUnicode", "a\u00c3b\u0080c\0"));
    // Overlong forms are followed by their lead byte.
    assertEquals("%u002f\u00c0", t("utf8toUnicode", "\u00c0\u00af"));
  }

  @Test
  void encodingsAndDigests() {
    assertEquals("54657374", t("hexEncode", "Test"));
    assertEquals("Test", t("hexDecode", "54657374"));
    assertEquals("VGVzdA==", t("base64Encode", "Test"));
    assertEquals("a+b%3d%27c%27*", t("urlEncode", "a b='c'*"));
    assertEquals("7", t("length", "abc\0def"));
    assertEquals("098f6bcd4621d373cade4e832627b4f6", t("hexEncode", t("md5", "test")));
    assertEquals("a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", t("hexEncode", t("sha1", "test")));
  }

  @Test
  void parity() {
    // 'a' = 0x61 has three bits set (odd), 'c' = 0x63 four (even).
    assertEquals("\u00e1c", t("parityEven7bit", "ac"));
    assertEquals("a\u00e3", t("parityOdd7bit", "ac"));
    assertEquals("ac", t("parityZero7bit", "\u00e1\u00e3"));
  }

  @Test
  void urlDecodeUniMapsFullWidthAsciiAndKeepsTheLowByteOtherwise() {
    assertEquals("<script>", t("urlDecodeUni", "%uff1cscript%uFF1E"));
    assertEquals("\u00e9A", t("urlDecodeUni", "%u00e9%u0141"));
  }
}
