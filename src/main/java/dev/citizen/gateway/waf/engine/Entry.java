package dev.citizen.gateway.waf.engine;

import dev.citizen.gateway.waf.operator.LiteralIndex;
import dev.citizen.gateway.waf.transform.CharClasses;
import java.util.Arrays;
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
  /** {@link CharClasses#of} the value; 0 until asked (a computed one always has ALWAYS). */
  private int classes;
  /** What each transformation (by id) makes of the value itself, once computed. */
  private String[] ofValue;
  /**
   * The {@link LiteralIndex} bits of the value (slot 0) and of each pipeline prefix's result (by
   * prefix id), computed on first use; prefixes that end in the same text share one scan.
   */
  private long[][] hitsByPipeline;
  /** The distinct texts scanned for {@link #hits}, and their bits. */
  private String[] scannedTexts;
  private long[][] scannedHits;
  private int scannedCount;
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

  /** The {@link CharClasses} of the value. */
  int classes() {
    if (classes == 0) {
      classes = CharClasses.of(value);
    }
    return classes;
  }

  /**
   * What each transformation (by id) made of the value itself (null where not yet computed);
   * allocated on first use with {@code size} slots. Pipelines that leave the value as it is up to
   * a step (most, on benign values) all apply that step to the value itself: one computation,
   * and one resulting string, for all of them.
   */
  String[] transformedValue(int size) {
    if (ofValue == null) {
      ofValue = new String[size];
    }
    return ofValue;
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

  /** The index bits of {@code text}: the value ({@code prefix} 0) or prefix {@code prefix}'s result. */
  long[] hits(int prefix, String text, LiteralIndex index, int size) {
    if (hitsByPipeline == null) {
      hitsByPipeline = new long[size][];
    }
    long[] hits = hitsByPipeline[prefix];
    if (hits == null) {
      hits = scanned(text, index);
      hitsByPipeline[prefix] = hits;
    }
    return hits;
  }

  /**
   * The bits of {@code text}, scanned once per distinct text of this entry: the value and its
   * transformations' results are a handful of texts (the value, lower-cased, cmdLine'd, ...)
   * that many pipelines end in. Same instance first (results of one transformation of the value
   * are shared), then equal content.
   */
  private long[] scanned(String text, LiteralIndex index) {
    for (int i = 0; i < scannedCount; i++) {
      if (scannedTexts[i] == text) {
        return scannedHits[i];
      }
    }
    for (int i = 0; i < scannedCount; i++) {
      if (scannedTexts[i].equals(text)) {
        return scannedHits[i];
      }
    }
    long[] hits = index.scan(text);
    if (scannedTexts == null) {
      scannedTexts = new String[4];
      scannedHits = new long[4][];
    } else if (scannedCount == scannedTexts.length) {
      scannedTexts = Arrays.copyOf(scannedTexts, scannedCount * 2);
      scannedHits = Arrays.copyOf(scannedHits, scannedCount * 2);
    }
    scannedTexts[scannedCount] = text;
    scannedHits[scannedCount++] = hits;
    return hits;
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
