package dev.citizen.gateway.waf.engine;

import dev.citizen.gateway.waf.operator.LiteralIndex;
import dev.citizen.gateway.waf.transform.CharClasses;
import java.util.Arrays;

/**
 * What the rules made of one value during a transaction: its transformations' results, its
 * literal-index bits, and the rules whose operator it failed. Every argument, header or cookie of
 * the transaction with the same value shares one ({@link Transaction#memoOf}): a FHIR resource
 * repeats its coding systems, units and statuses, and an argument is also in ARGS_POST or
 * ARGS_GET, so the work on a value is done once per distinct value, not once per entry.
 *
 * <p>Arrays read right where the value is, indexed by the rule set's ids: the rules of a rule set
 * use a few dozen pipelines over the same values, and this spares the transaction-wide cache a
 * hashed probe per value per rule.
 *
 * <p>Everything here is a function of the value and the rule set alone, so a transaction's memos
 * outlive it in the rule set's {@link ValueMemoCache}: the next request with the same coding
 * system, unit or status starts from what this one learnt. A memo in that cache is frozen (never
 * written again); a transaction works on a {@link #ValueMemo(ValueMemo) copy} that reads the
 * frozen arrays and copies one only when it first hands it out for writing ({@link
 * #pipelineMemo}, {@link #transformedValue}: callers write into the arrays they get) or adds to it.
 */
final class ValueMemo {
  private final String value;
  /** {@link CharClasses#of} the value; 0 until asked (a computed one always has ALWAYS). */
  private int classes;
  /** What each transformation (by id) makes of the value itself, once computed. */
  private String[] ofValue;
  /** The value after each pipeline prefix (by prefix id), once computed. */
  private String[] byPipeline;
  /**
   * The {@link LiteralIndex} bits of the value (slot 0) and of each pipeline prefix's result (by
   * prefix id), computed on first use; prefixes that end in the same text share one scan.
   */
  private long[][] hitsByPipeline;
  /** The distinct texts scanned for {@link #hits}, and their bits. */
  private String[] scannedTexts;
  private long[][] scannedHits;
  private int scannedCount;
  /** Bit per {@link Rule#verdictSlot}: the rule's operator did not match this value. */
  private long[] misses;
  /**
   * Bit per {@link Rule#verdictSlot}: the operator of a negated rule matched this value, so the
   * rule passes it over ({@link Rule#skipsRememberedMatches}).
   */
  private long[] matches;

  /**
   * Bits of the arrays still shared with the frozen memo this one was copied from, copied on
   * first use ({@link #OF_VALUE}, ...); 0 for a memo of its own.
   */
  private int borrowed;
  private static final int OF_VALUE = 1;
  private static final int BY_PIPELINE = 2;
  private static final int HITS = 4;
  private static final int SCANNED = 8;
  private static final int MISSES = 16;
  private static final int MATCHES = 32;
  private static final int ALL = OF_VALUE | BY_PIPELINE | HITS | SCANNED | MISSES | MATCHES;
  /** Whether this memo started as a copy of a frozen one. */
  private final boolean copy;

  ValueMemo(String value) {
    this.value = value;
    this.copy = false;
  }

  /** A transaction's own memo that starts from a frozen one ({@link ValueMemoCache}). */
  ValueMemo(ValueMemo frozen) {
    this.value = frozen.value;
    this.classes = frozen.classes;
    this.ofValue = frozen.ofValue;
    this.byPipeline = frozen.byPipeline;
    this.hitsByPipeline = frozen.hitsByPipeline;
    this.scannedTexts = frozen.scannedTexts;
    this.scannedHits = frozen.scannedHits;
    this.scannedCount = frozen.scannedCount;
    this.misses = frozen.misses;
    this.matches = frozen.matches;
    this.borrowed = ALL;
    this.copy = true;
  }

  /** Whether this memo started as a copy of a frozen one ({@link ValueMemoCache}). */
  boolean isCopy() {
    return copy;
  }

  /**
   * A copy that still borrows every array: nothing was written, since every write (or hand-out
   * for writing) makes an array its own first. The lazily computed classes aside, which are cheap.
   */
  boolean unchangedCopy() {
    return copy && borrowed == ALL;
  }

  String value() {
    return value;
  }

  /** The {@link CharClasses} of the value. */
  int classes() {
    if (classes == 0) {
      classes = CharClasses.of(value);
    }
    return classes;
  }

  /** What transformation {@code id} made of the value itself; null if not computed yet. */
  String transformed(int id) {
    return ofValue == null ? null : ofValue[id];
  }

  /** The value after pipeline prefix {@code id}; null if not computed yet. */
  String pipelineResult(int id) {
    return byPipeline == null ? null : byPipeline[id];
  }

  /**
   * What each transformation (by id) made of the value itself (null where not yet computed);
   * allocated on first use with {@code size} slots. Pipelines that leave the value as it is up to
   * a step (most, on benign values) all apply that step to the value itself: one computation,
   * and one resulting string, for all of them.
   */
  String[] transformedValue(int size) {
    ofValue = writable(ofValue, size, OF_VALUE);
    return ofValue;
  }

  /**
   * This value after each pipeline prefix, by prefix id (null where not yet computed); allocated
   * on first use with {@code size} slots (the rule set's prefix count plus one).
   */
  String[] pipelineMemo(int size) {
    byPipeline = writable(byPipeline, size, BY_PIPELINE);
    return byPipeline;
  }

  /**
   * {@code array} made this memo's own to write: new with {@code size} slots when there is none,
   * a copy when it is still borrowed from a frozen memo ({@code bit}), else itself.
   */
  private String[] writable(String[] array, int size, int bit) {
    boolean wasBorrowed = (borrowed & bit) != 0;
    borrowed &= ~bit;
    return array == null ? new String[size] : wasBorrowed ? array.clone() : array;
  }

  /** The index bits of {@code text}: the value ({@code prefix} 0) or prefix {@code prefix}'s result. */
  long[] hits(int prefix, String text, LiteralIndex index, int size) {
    if (hitsByPipeline == null) {
      hitsByPipeline = new long[size][];
      borrowed &= ~HITS;
    }
    long[] hits = hitsByPipeline[prefix];
    if (hits == null) {
      hits = scanned(text, index);
      if ((borrowed & HITS) != 0) {
        hitsByPipeline = hitsByPipeline.clone(); // the bit arrays themselves are never written
        borrowed &= ~HITS;
      }
      hitsByPipeline[prefix] = hits;
    }
    return hits;
  }

  /** The index bits of prefix {@code prefix}'s result (0: the value), or null if not scanned yet. */
  long[] knownHits(int prefix) {
    return hitsByPipeline == null ? null : hitsByPipeline[prefix];
  }

  /** Whether the operator of the rule with this {@link Rule#verdictSlot} already failed this value. */
  boolean missed(int slot) {
    return has(misses, slot);
  }

  /** Records that the operator of the rule with this slot did not match; {@code slots}: how many. */
  void miss(int slot, int slots) {
    misses = withBit(misses, MISSES, slot, slots);
  }

  /** Whether the operator of the negated rule with this {@link Rule#verdictSlot} matched this value already. */
  boolean matchedBefore(int slot) {
    return has(matches, slot);
  }

  /** Records that the operator of the negated rule with this slot matched; {@code slots}: how many. */
  void matched(int slot, int slots) {
    matches = withBit(matches, MATCHES, slot, slots);
  }

  private static boolean has(long[] bits, int slot) {
    return bits != null && (bits[slot >>> 6] & (1L << slot)) != 0;
  }

  /**
   * {@code bits} (a verdict set, borrowed while {@code borrowedBit} is set) with bit {@code slot}
   * set: made for {@code slots} bits when there is none, copied first when still borrowed.
   */
  private long[] withBit(long[] bits, int borrowedBit, int slot, int slots) {
    if (bits == null) {
      bits = new long[(slots + 63) >>> 6];
    } else if ((borrowed & borrowedBit) != 0) {
      bits = bits.clone();
    }
    borrowed &= ~borrowedBit;
    bits[slot >>> 6] |= 1L << slot;
    return bits;
  }

  /**
   * The bits of {@code text}, scanned once per distinct text of this value: the value and its
   * transformations' results are a handful of texts (the value, lower-cased, cmdLine'd, ...)
   * that many pipelines end in. Same instance first (results of one transformation of the value
   * are shared), then texts the index cannot tell apart: the index ignores ASCII case, so a
   * lower-cased text has the bits of the one it came from (a third of a FHIR body's scans were
   * such second looks).
   */
  private long[] scanned(String text, LiteralIndex index) {
    for (int i = 0; i < scannedCount; i++) {
      if (scannedTexts[i] == text) {
        return scannedHits[i];
      }
    }
    for (int i = 0; i < scannedCount; i++) {
      // Most such texts are equal, made by two transformations (lowercase and cmdLine of a
      // lower-case reference, urlDecode and urlDecodeUni of a timestamp): String.equals compares
      // them a vector at a time, sameHits a char at a time.
      String seen = scannedTexts[i];
      if (seen.equals(text) || LiteralIndex.sameHits(seen, text)) {
        return scannedHits[i];
      }
    }
    long[] hits = index.scan(text);
    if (scannedTexts == null) {
      scannedTexts = new String[4];
      scannedHits = new long[4][];
      borrowed &= ~SCANNED;
    } else if ((borrowed & SCANNED) != 0 || scannedCount == scannedTexts.length) {
      int length = scannedCount == scannedTexts.length ? scannedCount * 2 : scannedTexts.length;
      scannedTexts = Arrays.copyOf(scannedTexts, length);
      scannedHits = Arrays.copyOf(scannedHits, length);
      borrowed &= ~SCANNED;
    }
    scannedTexts[scannedCount] = text;
    scannedHits[scannedCount++] = hits;
    return hits;
  }
}
