package dev.citizen.gateway.waf.engine;

import java.util.Objects;

/**
 * One value of a collection with its key: {@code ARGS:q = 1}. Byte strings.
 *
 * <p>An entry belongs to one transaction and also remembers what the rules' transformation
 * pipelines made of its value (by pipeline prefix id): the rules of a rule set use a few dozen
 * pipelines over the same values, and this memo, an array read right where the value is, spares
 * the transaction-wide cache a hashed probe per value per rule.
 */
final class Entry {
  private final String key;
  private final String value;
  private String[] byPipeline;
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

  /** {@code matcher.find(key())}, remembered for the last two regex matchers asked. */
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

  /**
   * This value after each pipeline prefix, by prefix id (null where not yet computed); allocated
   * on first use with {@code size} slots (the rule set's prefix count plus one).
   */
  String[] pipelineMemo(int size) {
    if (byPipeline == null) {
      byPipeline = new String[size];
    }
    return byPipeline;
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
