package dev.citizen.gateway.waf.engine;

/**
 * A transaction's {@link ValueMemo}s by value: open addressing over two arrays, so that the ~150
 * distinct values of a 2 KiB JSON body cost no map nodes and no rehashing of boxed entries. The
 * {@code HashMap} it replaced drew ~11% of the WAF threads' samples under load (a call per value
 * through a {@code put} every other map of the process shares), not in a loop of evaluations.
 */
final class MemoTable {
  /**
   * Each slot's value beside its memo, so that a probe compares strings without a hop to the memo.
   * 512 slots: a 2 KiB JSON body's values took 256 past half full, and every such transaction
   * grew the table, rehashing what it held.
   */
  private String[] keys = new String[512];
  private ValueMemo[] memos = new ValueMemo[512];
  private int size;

  /** The memo of {@code value}, or null. */
  ValueMemo get(String value) {
    int mask = keys.length - 1;
    for (int i = spread(value.hashCode()) & mask; ; i = (i + 1) & mask) {
      String k = keys[i];
      if (k == null) {
        return null;
      }
      if (k.equals(value)) {
        return memos[i];
      }
    }
  }

  /** Adds the memo of a value not in the table. */
  void add(ValueMemo memo) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    insert(memo);
    size++;
  }

  int size() {
    return size;
  }

  /** The memos, in no particular order, with nulls between them; {@link #size} of them are not null. */
  ValueMemo[] slots() {
    return memos;
  }

  private void insert(ValueMemo memo) {
    int mask = keys.length - 1;
    int i = spread(memo.value().hashCode()) & mask;
    while (keys[i] != null) {
      i = (i + 1) & mask;
    }
    keys[i] = memo.value();
    memos[i] = memo;
  }

  private void grow() {
    ValueMemo[] old = memos;
    keys = new String[old.length * 2];
    memos = new ValueMemo[old.length * 2];
    for (ValueMemo m : old) {
      if (m != null) {
        insert(m);
      }
    }
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
