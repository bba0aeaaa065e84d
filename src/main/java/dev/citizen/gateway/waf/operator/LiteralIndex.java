package dev.citizen.gateway.waf.operator;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The required literals ({@link RequiredLiterals}) of every {@code @rx} of a rule set, and a
 * required piece of each phrase of every {@code @pm}/{@code @pmFromFile} ({@link
 * PhraseMatch#literals}), in one automaton. A rule set runs some 150 patterns and phrase lists over
 * the same values, and each scanned each value for its own literals, mostly to the end without
 * finding one; one pass over a value now finds, for all of them at once, which may match it (a
 * bit each), and the engine keeps those bits with the value.
 *
 * <p>Immutable after construction; shared by the transactions of its rule set.
 */
public final class LiteralIndex {
  private final Map<Operator, Integer> slots = new IdentityHashMap<>();
  private final int words;
  private final AhoCorasick automaton;
  private final long[][] masks;

  private LiteralIndex(List<Operator> patterns, List<List<String>> literals) {
    List<String> phrases = new ArrayList<>();
    List<long[]> owners = new ArrayList<>();
    this.words = Math.max(1, (patterns.size() + 63) / 64);
    for (int slot = 0; slot < patterns.size(); slot++) {
      slots.put(patterns.get(slot), slot);
      long[] bit = new long[words];
      bit[slot >>> 6] |= 1L << slot;
      for (String literal : literals.get(slot)) {
        phrases.add(literal);
        owners.add(bit);
      }
    }
    this.automaton = new AhoCorasick(phrases);
    this.masks = automaton.nodeMasks(owners, words);
  }

  /**
   * An index over those of {@code operators} that are {@code @rx} with required literals, and
   * {@code @pm}/{@code @pmFromFile} without macros (a required piece of each phrase).
   */
  public static LiteralIndex of(List<Operator> operators) {
    List<Operator> patterns = new ArrayList<>();
    List<List<String>> literals = new ArrayList<>();
    Map<Operator, Boolean> seen = new IdentityHashMap<>();
    for (Operator op : operators) {
      List<String> required = op instanceof Regex rx ? rx.literals()
          : op instanceof PhraseMatch pm ? pm.literals() : null;
      if (required != null && seen.put(op, Boolean.TRUE) == null) {
        patterns.add(op);
        literals.add(required);
      }
    }
    return new LiteralIndex(patterns, literals);
  }

  /** The bit of {@code op}, or -1 when it is not indexed (then it prefilters on its own). */
  public int slot(Operator op) {
    Integer s = slots.get(op);
    return s == null ? -1 : s;
  }

  /** The bits of the patterns one of whose literals occurs in {@code value}. */
  public long[] scan(String value) {
    long[] hits = new long[words];
    automaton.collect(value, masks, hits);
    return hits;
  }

  /**
   * Whether {@link #scan} gives {@code a} and {@code b} the same bits for certain: they differ in
   * ASCII case at most, which the index folds (its automaton matches case-insensitively).
   */
  public static boolean sameHits(String a, String b) {
    int n = a.length();
    if (b.length() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y && !((x | 0x20) == (y | 0x20) && asciiLetter(x))) {
        return false;
      }
    }
    return true;
  }

  private static boolean asciiLetter(char c) {
    char lower = (char) (c | 0x20);
    return lower >= 'a' && lower <= 'z';
  }

  /** The length of a {@link #scan} result. */
  public int words() {
    return words;
  }

  /** Whether {@code hits} (from {@link #scan}) has bit {@code slot}. */
  public static boolean has(long[] hits, int slot) {
    return (hits[slot >>> 6] & (1L << slot)) != 0;
  }
}
