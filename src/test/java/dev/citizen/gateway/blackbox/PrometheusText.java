package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Prometheus text exposition format (0.0.4) parsed into samples, so tests compare exact
 * values and exact label sets instead of matching substrings. Strict: a line that is not a
 * comment, blank or {@code name{labels} value} fails the test.
 */
final class PrometheusText {
  /** One line: metric name, labels in their order, value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  final List<Sample> samples;
  final String text;

  private PrometheusText(String text, List<Sample> samples) {
    this.text = text;
    this.samples = samples;
  }

  static PrometheusText parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      out.add(sample(line));
    }
    return new PrometheusText(text, out);
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      fail("bad metric name in: " + line);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String key = line.substring(i, eq);
        if (line.charAt(eq + 1) != '"') {
          fail("unquoted label value in: " + line);
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char n = line.charAt(++j);
            value.append(n == 'n' ? '\n' : n);
          } else {
            value.append(c);
          }
        }
        if (labels.put(key, value.toString()) != null) {
          fail("repeated label " + key + " in: " + line);
        }
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    String[] rest = line.substring(i).trim().split(" ");
    return new Sample(name, labels, number(rest[0]));
  }

  private static double number(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  /** Labels from alternating key, value arguments. */
  static Map<String, String> labels(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** The samples of {@code name} whose labels include {@code subset}. */
  List<Sample> find(String name, Map<String, String> subset) {
    return samples.stream().filter(s -> s.name.equals(name)
        && s.labels.entrySet().containsAll(subset.entrySet())).toList();
  }

  /** The value of the one sample with exactly these labels, or null when there is none. */
  Double value(String name, String... kv) {
    Map<String, String> want = labels(kv);
    List<Sample> hits = samples.stream().filter(s -> s.name.equals(name) && s.labels.equals(want)).toList();
    if (hits.size() > 1) {
      fail("two samples " + name + want);
    }
    return hits.isEmpty() ? null : hits.get(0).value;
  }

  /** Asserts the sample with exactly these labels exists and has {@code expected}. */
  void assertValue(double expected, String name, String... kv) {
    Double v = value(name, kv);
    if (v == null) {
      fail("no sample " + name + labels(kv) + "; samples of " + name + ": " + find(name, Map.of()));
    }
    assertEquals(expected, v, 1e-9, name + labels(kv));
  }

  /** The label names of every sample of {@code name}. */
  Set<Set<String>> labelNames(String name) {
    Set<Set<String>> out = new java.util.HashSet<>();
    for (Sample s : find(name, Map.of())) {
      out.add(new TreeSet<>(s.labels.keySet()));
    }
    return out;
  }

  /** The values label {@code key} takes in the samples of {@code name}. */
  Set<String> labelValues(String name, String key) {
    Set<String> out = new TreeSet<>();
    for (Sample s : find(name, Map.of())) {
      if (s.labels.containsKey(key)) {
        out.add(s.labels.get(key));
      }
    }
    return out;
  }
}
