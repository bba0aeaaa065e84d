package dev.citizen.gateway.waf.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ModSecurity's own transformation vectors (src/test/resources/waf/transformations/README.md). */
class ModSecurityVectorsTest {
  static final String[] FILES = {
    "urlDecode", "urlDecodeUni", "htmlEntityDecode", "jsDecode", "cssDecode", "escapeSeqDecode",
    "normalisePath", "base64Decode", "base64DecodeExt", "sqlHexDecode", "hexDecode", "removeComments"
  };

  static Stream<Arguments> vectors() throws IOException {
    List<Arguments> all = new ArrayList<>();
    for (String file : FILES) {
      try (InputStream in =
          ModSecurityVectorsTest.class.getResourceAsStream("/waf/transformations/" + file + ".json")) {
        JsonArray array = new JsonArray(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        for (int i = 0; i < array.size(); i++) {
          JsonObject v = array.getJsonObject(i);
          all.add(Arguments.of(file + "[" + i + "]", v.getString("name"), v.getString("input"),
              v.getString("output"), v.getInteger("ret")));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void matchesModSecurity(String id, String name, String input, String output, int ret) {
    String in = new String(input.toCharArray()); // a fresh instance, so "same" means returned as is
    String actual = Transformations.byName(name).apply(in);
    assertEquals(hex(output), hex(actual), id);
    if (ret == 0) {
      assertSame(in, actual, id + ": unchanged input must come back as the same instance");
    }
  }

  static String hex(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        b.append(c);
      } else {
        b.append(String.format("\\x%02x", (int) c));
      }
    }
    return b.toString();
  }
}
