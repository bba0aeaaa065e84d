package dev.citizen.gateway.waf.libinjection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * libinjection's own test files (tests/test-{tokens,folding,sqli,html5,xss}-*.txt from
 * client9/libinjection and corazawaf/libinjection-go), run the way its src/testdriver.c runs them.
 * Where a file's EXPECTED section was written for another libinjection version, the answer of
 * 3.9.2 itself (upstream/EXPECTED-3.9.2, produced by tools/libinjection/testdriver_oracle.c) is
 * expected instead.
 */
class UpstreamVectorsTest {
  private static final String DIR = "/waf/libinjection/upstream/";

  static Stream<String> files() throws IOException, URISyntaxException {
    URL dir = UpstreamVectorsTest.class.getResource(DIR);
    try (Stream<Path> list = Files.list(Path.of(dir.toURI()))) {
      List<String> names =
          list.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".txt"))
              .sorted()
              .collect(Collectors.toList());
      return names.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void producesTheExpectedOutput(String name) throws IOException {
    String text = read(DIR + name);
    int input = text.indexOf("--INPUT--\n");
    int expectedAt = text.indexOf("--EXPECTED--\n");
    String in = rtrim(text.substring(input + "--INPUT--\n".length(), expectedAt));
    String expected = rtrim(text.substring(expectedAt + "--EXPECTED--\n".length()));
    String override = overrides().get(name);
    if (override != null) {
      expected = override;
    }
    assertEquals(expected, rtrim(run(name, in)), name);
  }

  private static String run(String name, String in) {
    StringBuilder out = new StringBuilder();
    if (name.contains("test-tokens-")) {
      SqliTokenizer st =
          new SqliTokenizer(in, SqliTokenizer.FLAG_QUOTE_NONE | SqliTokenizer.FLAG_SQL_ANSI);
      while (st.tokenize()) {
        printToken(out, st.current);
      }
    } else if (name.contains("test-folding-")) {
      SqliTokenizer st =
          new SqliTokenizer(in, SqliTokenizer.FLAG_QUOTE_NONE | SqliTokenizer.FLAG_SQL_ANSI);
      int n = SqliDetector.fold(st);
      for (int i = 0; i < n; i++) {
        printToken(out, st.tokenvec[i]);
      }
    } else if (name.contains("test-sqli-")) {
      String fp = Libinjection.sqli(in);
      if (fp != null) {
        out.append(fp);
      }
    } else if (name.contains("test-html5-")) {
      Html5Tokenizer h5 = new Html5Tokenizer(in, Html5Tokenizer.DATA_STATE);
      while (h5.next()) {
        out.append(TYPES[h5.tokenType]).append(',').append(h5.tokenLen).append(',');
        out.append(h5.tokenText()).append('\n');
      }
    } else if (name.contains("test-xss-")) {
      out.append(Libinjection.xss(in) ? 1 : 0);
    } else {
      throw new IllegalArgumentException("unknown test type: " + name);
    }
    return out.toString();
  }

  private static final String[] TYPES = {
    "DATA_TEXT", "TAG_NAME_OPEN", "TAG_NAME_CLOSE", "TAG_NAME_SELFCLOSE", "TAG_DATA", "TAG_CLOSE",
    "ATTR_NAME", "ATTR_VALUE", "TAG_COMMENT", "DOCTYPE"
  };

  /** testdriver.c's print_token: type, space, value (quotes for strings, '@'s for variables). */
  private static void printToken(StringBuilder out, SqliToken t) {
    out.append(t.type).append(' ');
    boolean quoted = t.type == 's' || t.type == 'v';
    if (t.type == 'v') {
      if (t.count >= 1) {
        out.append('@');
      }
      if (t.count == 2) {
        out.append('@');
      }
    }
    if (quoted && t.strOpen != 0) {
      out.append(t.strOpen);
    }
    for (int i = 0; i < SqliToken.VALUE_SIZE && t.val[i] != 0; i++) {
      out.append(t.val[i]);
    }
    if (quoted && t.strClose != 0) {
      out.append(t.strClose);
    }
    out.append('\n');
  }

  private static Map<String, String> overrides;

  private static synchronized Map<String, String> overrides() throws IOException {
    if (overrides == null) {
      Map<String, String> map = new HashMap<>();
      String current = null;
      StringBuilder body = new StringBuilder();
      for (String line : read(DIR + "EXPECTED-3.9.2").split("\n", -1)) {
        if (line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("==> ")) {
          if (current != null) {
            map.put(current, rtrim(body.toString()));
          }
          current = line.substring(4);
          body.setLength(0);
        } else if (current != null) {
          body.append(line).append('\n');
        }
      }
      if (current != null) {
        map.put(current, rtrim(body.toString()));
      }
      overrides = map;
    }
    return overrides;
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = UpstreamVectorsTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** testdriver.c's modp_rtrim: trailing spaces, tabs and line ends. */
  private static String rtrim(String s) {
    int n = s.length();
    while (n > 0 && " \n\t\r".indexOf(s.charAt(n - 1)) >= 0) {
      n--;
    }
    return s.substring(0, n);
  }
}
