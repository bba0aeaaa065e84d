package dev.citizen.gateway.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(5)
class PathPatternTest {

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource(delimiter = '|', value = {
      // exact
      "/a/b|/a/b|true",
      "/a/b|/a/b/|false",
      "/a/b|/a|false",
      "/a/b|/a/bc|false",
      "/a/b|/A/B|false",
      "/a/b/|/a/b/|true",
      "/a/b/|/a/b|false",
      "/|/|true",
      "/|/a|false",
      // template: one non-empty segment per variable
      "/a/{id}|/a/1|true",
      "/a/{id}|/a/p-1001|true",
      "/a/{id}|/a/|false",
      "/a/{id}|/a|false",
      "/a/{id}|/a/1/2|false",
      "/a/{id}|/a/1/|false",
      "/a/{id}/b|/a/1/b|true",
      "/a/{id}/b|/a//b|false",
      "/a/{id}/b|/a/1/c|false",
      "/a/{x}/{y}|/a/1/2|true",
      "/a/{x}/{y}|/a/1|false",
      "/a/{id}/|/a/1/|true",
      "/a/{id}/|/a/1|false",
      "/{id}|/x|true",
      "/{id}|/|false",
      // prefix: the prefix itself and everything below, at a segment boundary
      "/a/**|/a|true",
      "/a/**|/a/|true",
      "/a/**|/a/b|true",
      "/a/**|/a/b/c/d|true",
      "/a/**|/ab|false",
      "/a/**|/ab/c|false",
      "/a/**|/|false",
      "/a/b/**|/a/b|true",
      "/a/b/**|/a/bc|false",
      "/a/b/**|/a|false",
      "/**|/|true",
      "/**|/anything/at/all|true",
      // prefix with variables
      "/t/{tenant}/**|/t/acme|true",
      "/t/{tenant}/**|/t/acme/|true",
      "/t/{tenant}/**|/t/acme/x/y|true",
      "/t/{tenant}/**|/t/|false",
      "/t/{tenant}/**|/t|false",
      "/t/{tenant}/**|/tx/acme|false",
  })
  void matches(String pattern, String path, boolean expected) {
    assertEquals(expected, PathPattern.compile(pattern).matches(path), pattern + " ~ " + path);
  }

  @Test
  void kinds() {
    assertEquals(PathPattern.Kind.EXACT, PathPattern.compile("/a/b").kind());
    assertEquals(PathPattern.Kind.EXACT, PathPattern.compile("/").kind());
    assertEquals(PathPattern.Kind.TEMPLATE, PathPattern.compile("/a/{id}").kind());
    assertEquals(PathPattern.Kind.PREFIX, PathPattern.compile("/a/**").kind());
    assertEquals(PathPattern.Kind.PREFIX, PathPattern.compile("/**").kind());
    assertEquals(PathPattern.Kind.PREFIX, PathPattern.compile("/t/{t}/**").kind());
  }

  @Test
  void literalLengthGrowsWithLiteralText() {
    assertTrue(PathPattern.compile("/api/patients/**").literalLength()
        > PathPattern.compile("/api/**").literalLength());
    assertTrue(PathPattern.compile("/api/**").literalLength() > PathPattern.compile("/**").literalLength());
    assertEquals(PathPattern.compile("/a/{id}").literalLength(), PathPattern.compile("/a/{other}").literalLength());
    assertEquals("/a/{id}", PathPattern.compile("/a/{id}").toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "a/**", "/a//b", "/a/./b", "/a/../b", "/a/**/b", "/a*", "/a/*", "/**/**",
      "/a/b**", "/a?x=1", "/a#f", "/a%20b", "/a\\b", "/a b", "/x{id}", "/{id}x", "/{}", "/{1d}", "/{a-b}",
      "/{id"})
  void rejectsBadPatterns(String pattern) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathPattern.compile(pattern));
    assertFalse(e.getMessage().isBlank());
  }
}
