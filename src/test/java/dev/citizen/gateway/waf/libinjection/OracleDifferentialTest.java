package dev.citizen.gateway.waf.libinjection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compares the port with the C libinjection 3.9.2 that ModSecurity 3.0.9 (Debian) runs, on inputs
 * whose answers the C code gave (tools/libinjection/oracle.c): CRS 3.3.4 regression-test values
 * plus generated SQL and HTML token soup and random bytes. Every answer must be identical, down to
 * the folded tokens.
 */
class OracleDifferentialTest {

  @Test
  void verdictsMatchTheCLibrary() throws IOException {
    List<String> mismatches = new ArrayList<>();
    int rows = 0;
    int positives = 0;
    for (String line : lines("/waf/libinjection/oracle-verdicts.tsv")) {
      String[] cols = line.split("\t", -1);
      String input = OracleFormat.fromHex(cols[0]);
      String expected = cols[1] + "\t" + cols[2];
      String actual = OracleFormat.verdict(input);
      rows++;
      if (!cols[1].equals("-") || cols[2].equals("1")) {
        positives++;
      }
      if (!expected.equals(actual) && mismatches.size() < 20) {
        mismatches.add(cols[0] + " expected " + expected + " got " + actual);
      }
    }
    assertTrue(rows > 3000 && positives > 800, "rows=" + rows + " positives=" + positives);
    assertEquals(List.of(), mismatches);
  }

  @Test
  void foldedTokensOfEveryPassMatchTheCLibrary() throws IOException {
    List<String> mismatches = new ArrayList<>();
    int rows = 0;
    for (String line : lines("/waf/libinjection/oracle-tokens.tsv")) {
      String[] cols = line.split("\t", -1);
      String actual = OracleFormat.tokens(OracleFormat.fromHex(cols[0]));
      rows++;
      if (!cols[1].equals(actual) && mismatches.size() < 10) {
        mismatches.add(cols[0] + "\n  expected " + cols[1] + "\n  got      " + actual);
      }
    }
    assertEquals(400, rows);
    assertEquals(List.of(), mismatches);
  }

  static List<String> lines(String resource) throws IOException {
    List<String> out = new ArrayList<>();
    try (InputStream in = OracleDifferentialTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing " + resource);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isEmpty()) {
          out.add(line);
        }
      }
    }
    return out;
  }
}
