package dev.citizen.gateway.waf.seclang;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a directive line into its name and arguments. An argument is either a run of non-blank
 * characters or a double-quoted string; inside quotes {@code \"} becomes {@code "} and
 * {@code \\} becomes {@code \}, every other backslash stays, as Apache's {@code ap_getword_conf}
 * and {@code substring_conf} read the ModSecurity rule files CRS 3.3 was written and tested for
 * ({@code "@rx \x5c"} keeps its backslash for the regex; 920460's {@code [^\\\\]\\\\[c...]} is
 * one literal backslash for the regex, which is what CRS's tests of it expect).
 */
public final class Arguments {
  private Arguments() {}

  public static List<String> split(SourceLine line) {
    String s = line.text();
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (true) {
      while (i < n && isBlank(s.charAt(i))) {
        i++;
      }
      if (i >= n) {
        return out;
      }
      char c = s.charAt(i);
      if (c == '"') {
        Delimited quoted = Delimited.read(s, i, '"', true);
        if (quoted.end() < 0) {
          throw new SecLangException(line.where(), "unterminated double-quoted argument");
        }
        out.add(quoted.value());
        i = quoted.end();
      } else {
        int start = i;
        while (i < n && !isBlank(s.charAt(i))) {
          i++;
        }
        out.add(s.substring(start, i));
      }
    }
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
