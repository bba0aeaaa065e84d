package dev.citizen.gateway.waf.engine;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A rule set's {@link ValueMemo}s across transactions: what its rules made of a value
 * (transformations, literal bits, failed operators) depends on the value and the rules alone, and
 * the values of a healthcare API recur request after request (coding systems, codes, units,
 * statuses, resource types, header values). A transaction takes a copy of the memo of each value
 * it meets here and, when it ends, leaves its own memos for the next.
 *
 * <p>Two-way set-associative and lossy, without locks: a value's hash picks a set of two slots, a
 * slot holds one frozen memo, a newer memo of another value replaces the one of its set less
 * recently used, and a reader checks the value it finds. Direct-mapped, two values that both come
 * in every request (the Host header, a JSON field name) and share a slot pushed each other out
 * for good; with two ways both stay. The array's volatile reads and writes publish a memo with
 * everything written to it before. At
 * most {@link #SLOTS} memos of values of at most {@link #MAX_VALUE_CHARS} characters are held,
 * a few MiB; long values (notes, attachments) rarely recur and would cost the most to keep.
 *
 * <p>Most values of a varied stream never recur (ids, timestamps, measurements, notes). Keeping
 * each one's memo would replace a held memo with one that is never read, and under load that
 * churn is garbage that outlives the young generation (a few MiB a second promoted, then a full
 * collection): so a value's memo is kept only when the value was seen before, a hash remembered
 * in {@link #seen} (a doorkeeper, as in TinyLFU) at two places, so that another value at one of
 * them does not make it forgotten (with one, two such values sharing it were never kept: each
 * overwrote the other's hash every request). A copy that learnt nothing new is not kept either:
 * the memo it copies holds as much.
 *
 * <p>A hit saves work, and so answers a few microseconds sooner. A client could only learn from
 * that whether its value was seen before its own first request with it (that request leaves the
 * value here), one measurement against the network's jitter; the cache never changes an outcome.
 */
final class ValueMemoCache {
  static final int SLOTS = 4096;
  static final int MAX_VALUE_CHARS = 256;

  static final int SEEN_SLOTS = SLOTS * 4;

  private final AtomicReferenceArray<ValueMemo> slots = new AtomicReferenceArray<>(SLOTS);
  /**
   * The hash of each slot's value, read before the memo: under varied traffic most lookups find
   * another value in the slot, and comparing hashes here (16 KiB, in the core's cache) spares
   * reaching for that memo and its string, cold somewhere in the old generation. Written before
   * the slot and read racily: a stale hash only costs the full comparison or a miss.
   */
  private final int[] hashes = new int[SLOTS];
  /** Per set, the way ({@code 0} or {@code 1}) read or written last: the other is replaced. Raced without harm. */
  private final byte[] recent = new byte[SLOTS / 2];
  /** Hashes of values seen once, each at two places ({@link #door}); lossy, raced without harm (an int is written whole). */
  private final int[] seen = new int[SEEN_SLOTS];

  /** A transaction's own memo for {@code value}: a copy of the frozen one held, else a new one. */
  ValueMemo memoFor(String value) {
    ValueMemo frozen = held(value);
    return frozen != null ? new ValueMemo(frozen) : new ValueMemo(value);
  }

  /** The frozen memo held for {@code value}, or null. */
  ValueMemo held(String value) {
    if (value.length() > MAX_VALUE_CHARS) {
      return null;
    }
    int h = value.hashCode();
    int first = set(h) << 1;
    for (int way = 0; way < 2; way++) {
      if (hashes[first + way] == h) {
        ValueMemo frozen = slots.get(first + way);
        if (frozen != null && frozen.value().equals(value)) {
          if (recent[first >>> 1] != way) {
            recent[first >>> 1] = (byte) way;
          }
          return frozen;
        }
      }
    }
    return null;
  }

  /**
   * Offers a finished transaction's memo; its transaction must never write it again. Kept when
   * its value was seen before and it knows something the cache does not.
   */
  void keep(ValueMemo memo) {
    String value = memo.value();
    if (value.length() > MAX_VALUE_CHARS || memo.unchangedCopy()) {
      return;
    }
    int h = value.hashCode();
    if (!memo.isCopy()) {
      // A value this cache had no memo of: remembered the first time, kept the second.
      int a = door(h, 0x9E3779B9);
      int b = door(h, 0x85EBCA6B);
      if (seen[a] != h && seen[b] != h) {
        seen[a] = h;
        seen[b] = h;
        return;
      }
    }
    int first = set(h) << 1;
    // The way that holds this value's hash already (a newer memo of it), else the less recent one.
    int way = hashes[first] == h ? 0 : hashes[first + 1] == h ? 1 : 1 - recent[first >>> 1];
    hashes[first + way] = h;
    slots.set(first + way, memo);
    recent[first >>> 1] = (byte) way;
  }

  /** Where the doorkeeper remembers hash {@code h}, by a multiplier of its own. */
  static int door(int h, int multiplier) {
    return (h * multiplier >>> 16) & (SEEN_SLOTS - 1);
  }

  /** The set of a hash: slots {@code 2 * set} and {@code 2 * set + 1}. */
  static int set(int h) {
    return (h ^ (h >>> 16)) & (SLOTS / 2 - 1);
  }
}
