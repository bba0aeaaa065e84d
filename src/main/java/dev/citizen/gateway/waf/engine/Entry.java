package dev.citizen.gateway.waf.engine;

import java.util.Arrays;
import java.util.Objects;

/**
 * One value of a collection with its key: {@code ARGS:q = 1}. Byte strings.
 *
 * <p>An entry belongs to one transaction and also remembers what the rules' transformation
 * pipelines made of its value (by pipeline id): the rules of a rule set use a few dozen
 * pipelines over the same values, and this memo, read right where the value is, spares the
 * transaction-wide cache a hashed probe per value per rule.
 */
final class Entry {
  private final String key;
  private final String value;
  private int[] pipelines;
  private String[] results;
  private int remembered;
  /**
   * The last two key regexes asked about this entry's key, and their answers: every SQLi and RCE
   * rule carries the same free-text exclusion ({@code !ARGS:/(?:^|\.)(?:text|...)$/}), and running
   * it once per rule per value cost more than a third of a JSON body's inspection. Two, because
   * rules with and without a second regex exclusion alternate.
   */
  private KeyMatcher askedMatcher;
  private boolean askedFound;
  private KeyMatcher askedBefore;
  private boolean foundBefore;

  Entry(String key, String value) {
    this.key = key;
    this.value = value;
  }

  String key() {
    return key;
  }

  String value() {
    return value;
  }

  /** {@code matcher.find(key())}, remembered for the last regex matcher asked. */
  boolean keyFound(KeyMatcher matcher) {
    if (!matcher.usesRegex()) {
      return matcher.find(key);
    }
    if (askedMatcher == matcher) {
      return askedFound;
    }
    if (askedBefore == matcher) {
      return foundBefore;
    }
    askedBefore = askedMatcher;
    foundBefore = askedFound;
    askedMatcher = matcher;
    askedFound = matcher.find(key);
    return askedFound;
  }

  /** The value after pipeline {@code pipeline}, if remembered; else null. */
  String transformed(int pipeline) {
    for (int i = 0; i < remembered; i++) {
      if (pipelines[i] == pipeline) {
        return results[i];
      }
    }
    return null;
  }

  void remember(int pipeline, String result) {
    if (pipelines == null) {
      pipelines = new int[4];
      results = new String[4];
    } else if (remembered == pipelines.length) {
      pipelines = Arrays.copyOf(pipelines, remembered * 2);
      results = Arrays.copyOf(results, remembered * 2);
    }
    pipelines[remembered] = pipeline;
    results[remembered] = result;
    remembered++;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e && Objects.equals(key, e.key) && Objects.equals(value, e.value);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hashCode(key) + Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return "Entry[key=" + key + ", value=" + value + "]";
  }
}
