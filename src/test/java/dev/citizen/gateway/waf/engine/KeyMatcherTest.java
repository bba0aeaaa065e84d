package dev.citizen.gateway.waf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The literal fast path answers exactly as the key regex would. */
class KeyMatcherTest {

  /** CRS 3.3.4's key regexes, then shapes near the edge of the fast path. */
  private static final List<String> PATTERNS = List.of("^header_name_", "paramcounter_.*",
      "rfi_parameter_.*", "MULTIPART_HEADERS_CONTENT_TYPES_*", "^a", "a", "ab*", "^ab*", "a.*",
      "x-y", "^id_", "A_b-C9", ".*", "a*", "^", "^.*", "a.b", "a|b", "[a]", "^ab$", "a\\*", "(?-i)ab", "é", "a+", "^K",
      // the gateway's free-text exclusion, and shapes the start set narrows
      "(?:^|\\.)(?:text|valueString|comment|description|div)$", "(?:^|\\.)(?:k|a_b-C9)$", "(?:^|\\.)(?:text|)$",
      "(?:^|\\.)(?:te.t)$", "(?:^|_)k", "[^a]b", "\\by", "(?<=a)b", "$", "b$");

  private static Pattern compile(String p) {
    return Pattern.compile(p, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  }

  private static List<String> keys() {
    List<String> keys = new ArrayList<>(List.of("", "a", "A", "header_name_host",
        "HEADER_NAME_HOST", "x_header_name_", "paramcounter_", "ParamCounter_ARGS:x",
        "rfi_parameter", "multipart_headers_content_types", "MULTIPART_HEADERS_CONTENT_TYPES_x",
        "\u017f", "\u212a", "k", "K", "ab", "aB", "Ab", "abbb", "x-y", "X-Y", "xy", "id_1", "ID_",
        "a_b-c9", "A_B-C9x", "é", "É", "\n", "a\nb", "json.note.array_0.text", "json.text",
        "text", "json.subject.display", "json.contexT", "json.DIV", "x.valuestring.y", "ab\n", "\nab"));
    Random r = new Random(42);
    String alphabet = "aAbBkK_-.xXyY09\u017f\u212a\u00e9\u00c9\n*tT";
    for (int i = 0; i < 3000; i++) {
      StringBuilder b = new StringBuilder();
      int n = r.nextInt(12);
      for (int j = 0; j < n; j++) {
        b.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      keys.add(b.toString());
    }
    // JSON-like paths ending near the free-text words, with the line terminators $ lets through.
    String[] pieces = {"json", ".", ".", "text", "TeXt", "div", "valueString", "VALUESTRING", "comment",
        "description", "x", "k", "\u212a", "a_b-c9", "_", "\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029"};
    for (int i = 0; i < 5000; i++) {
      StringBuilder b = new StringBuilder();
      int n = 1 + r.nextInt(5);
      for (int j = 0; j < n; j++) {
        b.append(pieces[r.nextInt(pieces.length)]);
      }
      keys.add(b.toString());
    }
    return keys;
  }

  @Test
  void answersAsTheRegexDoes() {
    List<String> keys = keys();
    for (String p : PATTERNS) {
      Pattern regex = compile(p);
      KeyMatcher m = KeyMatcher.of(regex);
      for (String k : keys) {
        assertEquals(regex.matcher(k).find(), m.find(k), () -> "/" + p + "/ on \"" + k + "\"");
      }
    }
  }

  @Test
  void crsKeyRegexesSkipTheRegexEngine() {
    for (String p : PATTERNS.subList(0, 4)) {
      assertFalse(KeyMatcher.of(compile(p)).usesRegex(), p);
    }
    assertFalse(KeyMatcher.of(compile(PATTERNS.get(25))).usesRegex(), "the free-text exclusion");
    for (String p : List.of(".*", "a.b", "a|b", "[a]", "^ab$", "(?-i)ab", "é", "a+", "(?:^|\\.)(?:te.t)$")) {
      assertTrue(KeyMatcher.of(compile(p)).usesRegex(), p);
    }
  }
}
