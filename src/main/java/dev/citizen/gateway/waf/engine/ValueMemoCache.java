package dev.citizen.gateway.waf.engine;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A rule set's {@link ValueMemo}s across transactions: what its rules made of a value
 * (transformations, literal bits, failed operators) depends on the value and the rules alone, and
 * the values of a healthcare API recur request after request (coding systems, codes, units,
 * statuses, resource types, header values). A transaction takes a copy of the memo of each value
 * it meets here and, when it ends, leaves its own memos for the next.
 *
 * <p>Direct-mapped and lossy, without locks: a slot holds one frozen memo, a newer memo of
 * another value with the same slot replaces it, and a reader checks the value it finds. The
 * array's volatile reads and writes publish a memo with everything written to it before. At
 * most {@link #SLOTS} memos of values of at most {@link #MAX_VALUE_CHARS} characters are held,
 * a few MiB; long values (notes, attachments) rarely recur and would cost the most to keep.
 *
 * <p>Most values of a varied stream never recur (ids, timestamps, measurements, notes). Keeping
 * each one's memo would replace a held memo with one that is never read, and under load that
 * churn is garbage that outlives the young generation (a few MiB a second promoted, then a full
 * collection): so a value's memo is kept only when the value was seen before, a hash remembered
 * in {@link #seen} (a doorkeeper, as in TinyLFU). A copy that learnt nothing new is not kept
 * either: the memo it copies holds as much.
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
  /** Hashes of values seen once: direct-mapped, lossy, raced without harm (an int is written whole). */
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
    int slot = slot(h);
    if (hashes[slot] != h) {
      return null;
    }
    ValueMemo frozen = slots.get(slot);
    return frozen != null && frozen.value().equals(value) ? frozen : null;
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
      int door = (h * 0x9E3779B9 >>> 16) & (SEEN_SLOTS - 1);
      if (seen[door] != h) {
        seen[door] = h;
        return;
      }
    }
    int slot = slot(h);
    hashes[slot] = h;
    slots.set(slot, memo);
  }

  private static int slot(int h) {
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
