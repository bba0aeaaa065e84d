package dev.citizen.gateway.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(5)
class PathNormalizerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // dot segments (RFC 3986 §5.2.4)
      "/a/./b|/a/b",
      "/a/b/.|/a/b/",
      "/a/b/..|/a/",
      "/a/b/../c|/a/c",
      "/a/./b/./c/.|/a/b/c/",
      "/./a|/a",
      "/.|/",
      "/..|/",
      "/../../..|/",
      "/a/../../../b|/b",
      "/api/public/../internal|/api/internal",
      "/api/public/../internal/x|/api/internal/x",
      // encoded dots
      "/api/public/%2e%2e/internal|/api/internal",
      "/api/public/%2E%2E/internal|/api/internal",
      "/api/public/.%2e/internal|/api/internal",
      "/api/public/%2e./internal|/api/internal",
      "/a/%2e/b|/a/b",
      "/a/%2E|/a/",
      // repeated slashes
      "//a|/a",
      "/a//b|/a/b",
      "/a///b//|/a/b/",
      "//|/",
      "//..//a|/a",
      // unreserved decoded
      "/%61dmin|/admin",
      "/api/%61%64%6D%69%6E|/api/admin",
      "/a%2Db%5Fc%7E%2e|/a-b_c~.",
      "/%41%5a%30%39|/AZ09",
      // other escapes kept byte for byte, hex case preserved
      "/a%20b|/a%20b",
      "/caf%C3%A9|/caf%C3%A9",
      "/caf%c3%a9|/caf%c3%a9",
      "/a%3Fb%23c|/a%3Fb%23c",
      "/%25|/%25",
      "/%252e%252e/x|/%252e%252e/x",
      "/a%20/./b|/a%20/b",
      // not dot segments
      "/a/.../b|/a/.../b",
      "/a/.b/c.|/a/.b/c.",
      "/a/..b|/a/..b",
      "/a/b;c/d|/a/b;c/d",
  })
  void normalises(String in, String expected) throws Exception {
    assertEquals(expected, PathNormalizer.normalize(in));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/api/public/..%2Finternal",
      // dot segments with parameters: Tomcat and Spring read them as dot segments
      "/api/public/..;/internal",
      "/api/public/..;x=1/internal",
      "/a/.;/b",
      "/a/%2e%2e;/b",
      "/a%2fb",
      "/a%2Fb",
      "/a%5cb",
      "/a%5Cb",
      "/a\\b",
      "/..\\..\\etc",
      "/a%00b",
      "/a%zz",
      "/a%4",
      "/a%",
      "/a%4/b",
      "/a%g0",
      "/a%%32%65",
      "",
      "a/b",
      "*",
  })
  void rejects(String in) {
    assertThrows(PathNormalizer.InvalidPathException.class, () -> PathNormalizer.normalize(in));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/a", "/a/b/c", "/a/b/", "/api/v1/patients/p-1001", "/a.b/c..d/...",
      "/a/.well-known/x", "/~user/file.txt"})
  void normalPathsReturnTheSameInstance(String in) throws Exception {
    assertSame(in, PathNormalizer.normalize(in));
  }

  @Test
  void normalisingIsIdempotent() throws Exception {
    for (String in : new String[] {"/a/./b/../c//d/", "/%61/%2e%2e/b%20c", "/x/%C3%A9/../y"}) {
      String once = PathNormalizer.normalize(in);
      assertEquals(once, PathNormalizer.normalize(once), in);
    }
  }

  @Test
  void errorMessagesAreSafeToShow() {
    var e = assertThrows(PathNormalizer.InvalidPathException.class,
        () -> PathNormalizer.normalize("/a%2Fb"));
    assertEquals("encoded slash or backslash in path", e.getMessage());
  }
}
