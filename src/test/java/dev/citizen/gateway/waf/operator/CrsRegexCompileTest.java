package dev.citizen.gateway.waf.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code @rx} in the installed CRS (Debian's modsecurity-crs) must compile, and none may
 * run away on long runs of one character: the CRS itself is the test corpus for the PCRE
 * translation.
 */
class CrsRegexCompileTest {
  static final Path CRS = Path.of("/usr/share/modsecurity-crs/rules");

  /** An {@code @rx} argument found in a rule file. */
  record Found(String file, int line, String ruleId, String pattern) {}

  /**
   * Rules whose {@code @rx} exceeds the step budget (or the thread stack) on some 10 KiB run of one
   * or two characters in java.util.regex, where PCRE's optimisations (auto-possession, start-of-
   * match and required-byte checks) answer quickly. On such a value the rule does not match (as
   * with PCRE's match limit in ModSecurity) after about 100-400 ms of CPU. Recorded here so that
   * a new one fails the test; the WAF's body and argument size limits bound the exposure.
   */
  static final java.util.Set<String> KNOWN_RUNAWAY =
      java.util.Set.of(
          "932100", "932105", "932106", "932130", "932150", "932190", "932200", // RCE
          "933210", // PHP
          "941140", "941160", "941170", "941200", "941310", "941330", "941350", // XSS
          "942130", "942180", "942190", "942260", "942310", "942330", "942340", "942360", // SQLi
          "942361", "942370", "942480", "942490");

  /**
   * Finds {@code "@rx ...} and {@code "!@rx ...} operator arguments: from the operator to the
   * closing unescaped double quote, with {@code \"} unescaped to {@code "} as the SecLang parser
   * does. Files are read as ISO-8859-1, one char per byte, like the rule parser.
   */
  static List<Found> scan() throws IOException {
    List<Found> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(CRS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".conf")).sorted().toList()) {
        String text = Files.readString(f, StandardCharsets.ISO_8859_1);
        int from = 0;
        while (true) {
          int at = text.indexOf("@rx ", from);
          if (at < 0) {
            break;
          }
          from = at + 4;
          int quote = text.lastIndexOf('"', at);
          String between = text.substring(quote + 1, at);
          if (quote < 0 || !(between.isEmpty() || between.equals("!"))) {
            continue;
          }
          int lineStart = text.lastIndexOf('\n', at) + 1;
          if (text.substring(lineStart, at).stripLeading().startsWith("#")) {
            continue; // a commented-out rule
          }
          StringBuilder pattern = new StringBuilder();
          int i = at + 4;
          while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
              pattern.append('"');
              i += 2;
            } else if (c == '"') {
              break;
            } else {
              pattern.append(c);
              i++;
            }
          }
          int line = (int) text.substring(0, at).chars().filter(ch -> ch == '\n').count() + 1;
          java.util.regex.Matcher id =
              java.util.regex.Pattern.compile("id:(\\d+)").matcher(text).region(i, text.length());
          String ruleId = id.find() ? id.group(1) : "?";
          found.add(new Found(f.getFileName().toString(), line, ruleId, pattern.toString().trim()));
        }
      }
    }
    return found;
  }

  @Test
  void everyCrsRegexCompiles() throws IOException {
    assumeTrue(Files.isDirectory(CRS), "modsecurity-crs is not installed");
    List<Found> all = scan();
    assertTrue(all.size() > 250, "expected the CRS's ~280 @rx, found " + all.size());
    List<String> failures = new ArrayList<>();
    for (Found f : all) {
      try {
        Operators.compile("rx", f.pattern(), CRS);
      } catch (IllegalArgumentException e) {
        failures.add(f.file() + ":" + f.line() + ": " + e.getMessage());
      }
    }
    assertEquals(List.of(), failures, failures.size() + " of " + all.size() + " failed");
  }

  /**
   * Catastrophic backtracking: each pattern against 10 KiB runs of characters that CRS patterns
   * like to repeat. A pattern that exhausts its step budget would be "no match" in production (a
   * miss), so the list of such patterns must stay empty.
   */
  @Test
  void noCrsRegexRunsAwayOnLongRuns() throws IOException {
    assumeTrue(Files.isDirectory(CRS), "modsecurity-crs is not installed");
    String[] fills = {"a", " ", "0", "'", "\"", "<", "/", "%", "\\", ";", "(", "a ", "a=", "=/", "-", "${"};
    java.util.Set<String> runawayIds = new java.util.TreeSet<>();
    List<String> runaways = new ArrayList<>();
    long slowest = 0;
    String slowestWhat = "";
    for (Found f : scan()) {
      if (f.pattern().contains("%{")) {
        continue; // compiled per request from the expanded macro
      }
      Regex rx = (Regex) Operators.compile("rx", f.pattern(), CRS);
      for (String fill : fills) {
        String input = fill.repeat(10 * 1024 / fill.length());
        long t0 = System.nanoTime();
        Regex.Outcome outcome = rx.outcome(input);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (outcome == Regex.Outcome.BUDGET_EXHAUSTED || outcome == Regex.Outcome.STACK_OVERFLOW) {
          runawayIds.add(f.ruleId());
          runaways.add(f.ruleId() + " " + f.file() + ":" + f.line() + " " + outcome + " on " + (10 * 1024 / fill.length()) + "x'" + fill + "'");
        }
        if (ms > slowest) {
          slowest = ms;
          slowestWhat = f.file() + ":" + f.line() + " on '" + fill + "'";
        }
      }
    }
    runaways.forEach(r -> System.out.println("runaway: " + r));
    System.out.println("slowest CRS @rx on a 10 KiB run: " + slowest + " ms, " + slowestWhat);
    java.util.Set<String> unexpected = new java.util.TreeSet<>(runawayIds);
    unexpected.removeAll(KNOWN_RUNAWAY);
    assertEquals(java.util.Set.of(), unexpected, "new runaway CRS patterns: " + runaways);
  }
}
