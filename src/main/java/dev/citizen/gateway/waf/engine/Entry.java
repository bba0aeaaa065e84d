package dev.citizen.gateway.waf.engine;

import java.util.Objects;

/**
 * One value of a collection with its key: {@code ARGS:q = 1}. Byte strings.
 *
 * <p>An entry belongs to one transaction. What the rules make of its value lives in its {@link
 * ValueMemo}, shared with the transaction's other entries of the same value when the entry is an
 * argument, header or cookie, and its own otherwise.
 */
final class Entry {
  private final String key;
  private final String value;
  private ValueMemo memo;
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

  /** An entry whose value's work is shared: {@code memo} is for {@code value}. */
  Entry(String key, String value, ValueMemo memo) {
    this.key = key;
    this.value = value;
    this.memo = memo;
  }

  String key() {
    return key;
  }

  String value() {
    return value;
  }

  /** What the rules made of the value so far. */
  ValueMemo memo() {
    if (memo == null) {
      memo = new ValueMemo(value);
    }
    return memo;
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
