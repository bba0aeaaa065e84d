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
 * <p>A hit saves work, and so answers a few microseconds sooner. A client could only learn from
 * that whether its value was seen before its own first request with it (that request leaves the
 * value here), one measurement against the network's jitter; the cache never changes an outcome.
 */
final class ValueMemoCache {
  static final int SLOTS = 4096;
  static final int MAX_VALUE_CHARS = 256;

  private final AtomicReferenceArray<ValueMemo> slots = new AtomicReferenceArray<>(SLOTS);

  /** A transaction's own memo for {@code value}: a copy of the frozen one held, else a new one. */
  ValueMemo memoFor(String value) {
    if (value.length() <= MAX_VALUE_CHARS) {
      ValueMemo frozen = slots.get(slot(value));
      if (frozen != null && frozen.value().equals(value)) {
        return new ValueMemo(frozen);
      }
    }
    return new ValueMemo(value);
  }

  /** Keeps a finished transaction's memo; its transaction must never write it again. */
  void keep(ValueMemo memo) {
    String value = memo.value();
    if (value.length() <= MAX_VALUE_CHARS) {
      slots.set(slot(value), memo);
    }
  }

  private static int slot(String value) {
    int h = value.hashCode();
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
