package dev.citizen.gateway.waf.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The prefilters of {@code @rx} ({@link RequiredLiterals}, {@link RequiredChars}) may only skip
 * searches that cannot succeed: for every CRS {@code @rx} and every value of a corpus, the
 * operator must answer exactly as the plain java.util.regex search. The corpus is every string in
 * the CRS 3.3.4 regression suite (attack payloads, URIs, headers; raw, URL-decoded, and in upper
 * and lower case), the benign healthcare corpus, and random strings built from the patterns' own
 * literals and punctuation, so that the prefilters pass often and the regex decides.
 */
class RegexPrefilterEquivalenceTest {
  static final Path REGRESSION = Path.of("src/test/resources/waf/crs-3.3.4-regression");

  @Test
  void prefilteredRegexAnswersAsThePlainRegexOnTheCrsCorpus() throws Exception {
    assumeTrue(Files.isDirectory(CrsRegexCompileTest.CRS), "modsecurity-crs is not installed");
    List<Regex> rules = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    Set<String> literals = new LinkedHashSet<>();
    for (CrsRegexCompileTest.Found f : CrsRegexCompileTest.scan()) {
      if (f.pattern().contains("%{")) {
        continue;
      }
      Regex rx = (Regex) Operators.compile("rx", f.pattern(), CrsRegexCompileTest.CRS);
      rules.add(rx);
      sources.add(f.ruleId() + " " + f.pattern());
      List<String> l = RequiredLiterals.of(rx.pattern().pattern());
      if (l != null) {
        literals.addAll(l);
      }
    }
    long filtered = rules.stream().filter(Regex::hasLiteralPrefilter).count();
    assertTrue(filtered > rules.size() * 3 / 4, "few patterns got a literal prefilter: " + filtered + " of " + rules.size());
    long started = rules.stream().filter(Regex::hasStartSet).count();
    assertTrue(started > rules.size() / 3, "few patterns got a start set: " + started + " of " + rules.size());

    List<String> corpus = new ArrayList<>(corpus(literals));
    // The shared index must answer for each pattern exactly as its own automaton does.
    List<Operator> ops = new ArrayList<>(rules);
    LiteralIndex index = LiteralIndex.of(ops);
    List<String> indexDifferences = new ArrayList<>();
    List<AhoCorasick> own = new ArrayList<>();
    for (Regex rx : rules) {
      own.add(rx.hasLiteralPrefilter() ? new AhoCorasick(rx.literals()) : null);
    }
    for (String input : corpus) {
      long[] hits = index.scan(input);
      for (int r = 0; r < rules.size(); r++) {
        Regex rx = rules.get(r);
        if (rx.hasLiteralPrefilter()) {
          boolean found = own.get(r).find(input) != null;
          if (LiteralIndex.has(hits, index.slot(rx)) != found && indexDifferences.size() < 20) {
            indexDifferences.add(sources.get(r) + " on " + Regex.abbreviate(input) + ": own " + found);
          }
        }
      }
    }
    assertEquals(List.of(), indexDifferences, "the shared literal index disagrees");
    int matches = 0;
    int skipped = 0;
    List<String> differences = new ArrayList<>();
    for (int r = 0; r < rules.size(); r++) {
      Regex rx = rules.get(r);
      for (String input : corpus) {
        Regex.Outcome plain = rx.unfilteredOutcome(input);
        Regex.Outcome filteredOutcome = rx.outcome(input);
        boolean plainMatch = plain == Regex.Outcome.MATCH;
        if (plainMatch != (filteredOutcome == Regex.Outcome.MATCH)) {
          differences.add(sources.get(r) + " on " + Regex.abbreviate(input) + ": " + plain + " vs " + filteredOutcome);
        }
        if (plainMatch) {
          matches++;
          // The same (leftmost) match, so that capture puts the same text in TX.0..9.
          Matcher p = rx.pattern().matcher(input);
          p.find();
          Matcher f = rx.filteredMatch(input);
          if (f != null && (f.start() != p.start() || f.end() != p.end())) {
            differences.add(sources.get(r) + " on " + Regex.abbreviate(input) + ": match " + p.start() + ".." + p.end()
                + " vs " + f.start() + ".." + f.end());
          }
        }
        if (filteredOutcome == Regex.Outcome.NO_MATCH && plain != Regex.Outcome.NO_MATCH) {
          skipped++;
        }
      }
    }
    System.out.println("prefilter equivalence: " + rules.size() + " patterns (" + filtered + " with literals, "
        + started + " with a start set) x "
        + corpus.size() + " values, " + matches + " matches, " + skipped + " runaway searches skipped");
    assertTrue(matches > 1000, "the corpus should exercise matches, got " + matches);
    assertEquals(List.of(), differences.subList(0, Math.min(20, differences.size())), differences.size() + " differences");
  }

  @Test
  void literalAnalysisOfKnownShapes() {
    assertEquals(List.of("get", "post"), RequiredLiterals.of("(?:get|post)"));
    assertEquals(List.of("select"), RequiredLiterals.of("(?i)\\bselect\\s+\\w+"));
    assertEquals(List.of("abd", "acd"), RequiredLiterals.of("a(?:b|c)d"));
    assertEquals(List.of("xunion", "union"), RequiredLiterals.of("x?union(?=a).*?y*"));
    assertEquals(List.of("b"), RequiredLiterals.of("a?b"), "the smaller of two sets with equally short literals");
    assertEquals(null, RequiredLiterals.of("a*"), "an optional atom requires nothing");
    assertEquals(null, RequiredLiterals.of("abc|\\w+"), "one branch without a literal spoils the set");
    assertEquals(null, RequiredLiterals.of("(a)\\1"), "back-references are not analysed");
    assertEquals(null, RequiredLiterals.of("(?x)a b"), "comments mode is not analysed");
    assertEquals(null, RequiredLiterals.of("(?iu)k"), "Unicode case folding is not analysed");
    assertEquals(List.of("\"", "'"), RequiredLiterals.of("[\"']"));
    assertEquals(List.of("%2e"), RequiredLiterals.of("%2[eE]"));
    // \s and \d count as their few characters: a match of 932150's shape must end on one of them.
    assertEquals(List.of(" ", "\t", "\n", "\u000b", "\f", "\r", ";", "|"), RequiredLiterals.of("\\w+(?:\\s|;|\\|)"));
    assertEquals(List.of("id=0", "id=1", "id=2", "id=3", "id=4", "id=5", "id=6", "id=7", "id=8", "id=9"),
        RequiredLiterals.of("id=\\d"));
    assertEquals(List.of("x", " ", "\t", "\n", "\u000b", "\f", "\r"), RequiredLiterals.of("[x\\s]"));
  }

  /** Every value to try, deduplicated, in a stable order. */
  static Set<String> corpus(Set<String> literals) throws IOException, URISyntaxException {
    Set<String> raw = new LinkedHashSet<>();
    // The suite is in the repository: without it the corpus would shrink and prove much less.
    assertTrue(Files.isDirectory(REGRESSION), REGRESSION + " is missing");
    {
      Load load = new Load(LoadSettings.builder().build());
      try (Stream<Path> files = Files.walk(REGRESSION)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
          try (InputStream in = Files.newInputStream(f)) {
            for (Object doc : load.loadAllFromInputStream(in)) {
              collectStrings(doc, raw);
            }
          } catch (RuntimeException e) {
            // a file the YAML reader rejects adds nothing to the corpus
          }
        }
      }
    }
    Path benign = Path.of(RegexPrefilterEquivalenceTest.class.getClassLoader().getResource("waf/benign").toURI());
    try (Stream<Path> files = Files.list(benign)) {
      for (Path f : files.sorted().toList()) {
        String text = Files.readString(f, StandardCharsets.ISO_8859_1);
        raw.add(text);
        raw.addAll(List.of(text.split("\r?\n")));
        Matcher m = java.util.regex.Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(text);
        while (m.find()) {
          raw.add(m.group(1));
        }
      }
    }
    Set<String> all = new LinkedHashSet<>();
    for (String s : raw) {
      for (String v : List.of(s, urlDecode(s))) {
        all.add(v);
        all.add(v.toLowerCase(java.util.Locale.ROOT));
        all.add(v.toUpperCase(java.util.Locale.ROOT));
      }
    }
    all.addAll(random(new ArrayList<>(literals), 3000));
    return all;
  }

  private static void collectStrings(Object node, Set<String> out) {
    if (node instanceof String s) {
      if (s.length() <= 20_000) {
        out.add(s);
      }
    } else if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        collectStrings(e.getKey(), out);
        collectStrings(e.getValue(), out);
      }
    } else if (node instanceof List<?> list) {
      for (Object o : list) {
        collectStrings(o, out);
      }
      if (!list.isEmpty() && list.stream().allMatch(o -> o instanceof String)) {
        out.add(String.join("\n", list.stream().map(String.class::cast).toList()));
      }
    } else if (node != null) {
      out.add(String.valueOf(node));
    }
  }

  /** %XX and '+' decoded one byte per char (ISO-8859-1), invalid escapes left as they are. */
  static String urlDecode(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        b.append(c == '+' ? ' ' : c);
      }
    }
    return b.toString();
  }

  /** Strings of literals, punctuation, words and random bytes, with a fixed seed. */
  static List<String> random(List<String> literals, int count) {
    Random rnd = new Random(20261126);
    String punctuation = " \t\r\n!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~0123456789abcXYZ\u00bc\u00be\u00e9";
    List<String> out = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      StringBuilder b = new StringBuilder();
      int parts = 1 + rnd.nextInt(8);
      for (int p = 0; p < parts; p++) {
        switch (rnd.nextInt(4)) {
          case 0 -> b.append(literals.get(rnd.nextInt(literals.size())));
          case 1 -> b.append(punctuation.charAt(rnd.nextInt(punctuation.length())));
          case 2 -> {
            String lit = literals.get(rnd.nextInt(literals.size()));
            b.append(rnd.nextBoolean() ? lit.toUpperCase(java.util.Locale.ROOT) : lit).append(' ');
          }
          default -> {
            for (int k = rnd.nextInt(6); k > 0; k--) {
              b.append((char) rnd.nextInt(256));
            }
          }
        }
      }
      out.add(b.toString());
    }
    return out;
  }
}
