package dev.citizen.gateway.waf.engine;

import java.util.Objects;

/**
 * One value of a collection with its key: {@code ARGS:q = 1}. Byte strings.
 *
 * <p>An entry belongs to one transaction. What the rules make of its value lives in its {@link
 * ValueMemo}, shared with the transaction's other entries of the same value (and with later
 * transactions, through the rule set's cache) when the entry is an argument, header or cookie, or
 * a short scalar (REQUEST_LINE, REQUEST_FILENAME, ...), and its own otherwise ({@link #shared}).
 */
final class Entry {
  private final String key;
  private final String value;
  private ValueMemo memo;
  /** Whether {@link #memo} came from the transaction's shared memos: then the rules may read and write it. */
  private final boolean shared;
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
    this.shared = false;
  }

  /** An entry whose value's work is shared: {@code memo} is for {@code value}. */
  Entry(String key, String value, ValueMemo memo) {
    this.key = key;
    this.value = value;
    this.memo = memo;
    this.shared = true;
  }

  String key() {
    return key;
  }

  String value() {
    return value;
  }

  /**
   * Whether the value's memo is the one the transaction shares for the value ({@link
   * Transaction#memoOf}): what an operator, a transformation or the literal index made of the
   * value is then kept in it, for other entries and later requests with the same value.
   */
  boolean shared() {
    return shared;
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
