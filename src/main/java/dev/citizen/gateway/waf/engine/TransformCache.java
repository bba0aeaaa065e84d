package dev.citizen.gateway.waf.engine;

/**
 * One transaction's memo of transformation results: (input string, tag) → output, where the tag
 * is one transformation ({@code t:urlDecodeUni}) or one whole pipeline. Keys compare by the
 * input's identity: a transformation is a pure function of its input, the values a transaction
 * hands the rules are the same instances from rule to rule, and each cached output is itself the
 * input of the next step, so identity finds every repeat without comparing text; a cache miss on
 * equal text in another instance only costs a recomputation.
 *
 * <p>Open addressing with linear probing. A lookup allocates nothing (the former record key cost
 * an object and a full string compare); input and output sit side by side in one array, tag and
 * hash in another, so a probe touches two cache lines; growing rehashes from the stored hashes
 * without touching the strings.
 */
final class TransformCache {

  /** Slot i: input at 2i, output at 2i + 1. */
  private Object[] strings;
  /** Slot i: tag at 2i, hash at 2i + 1. */
  private int[] meta;
  private int size;
  private int mask;

  TransformCache() {
    // Arguments, headers and cookies keep their results in their ValueMemos: what is left (the
    // URI, request line, file name, body) made 27 entries for a 2 KiB JSON POST under CRS.
    allocate(64);
  }

  private void allocate(int capacity) {
    strings = new Object[capacity * 2];
    meta = new int[capacity * 2];
    mask = capacity - 1;
    size = 0;
  }

  /** The cached output, or null. */
  String get(String input, int tag) {
    int i = hash(input, tag) & mask;
    Object k;
    while ((k = strings[2 * i]) != null) {
      if (k == input && meta[2 * i] == tag) {
        return (String) strings[2 * i + 1];
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  void put(String input, int tag, String output) {
    if (size * 2 >= capacity()) {
      reserve(capacity());
    }
    insert(input, tag, hash(input, tag), output);
  }

  private void insert(Object input, int tag, int h, Object output) {
    int i = h & mask;
    Object k;
    while ((k = strings[2 * i]) != null) {
      if (k == input && meta[2 * i] == tag) {
        strings[2 * i + 1] = output;
        return;
      }
      i = (i + 1) & mask;
    }
    strings[2 * i] = input;
    strings[2 * i + 1] = output;
    meta[2 * i] = tag;
    meta[2 * i + 1] = h;
    size++;
  }

  private static int hash(String input, int tag) {
    // String.hashCode is cached in the string, so a repeated lookup does not rehash the text.
    int h = input.hashCode() * 0x9E3779B9 + tag * 0x85EBCA6B;
    return h ^ (h >>> 16);
  }

  private int capacity() {
    return mask + 1;
  }

  /** Makes room for {@code entries}, rehashing from the stored hashes (how the table grows). */
  void reserve(int entries) {
    int capacity = capacity();
    while (capacity < entries * 2) {
      capacity *= 2;
    }
    if (capacity == capacity()) {
      return;
    }
    Object[] oldStrings = strings;
    int[] oldMeta = meta;
    allocate(capacity);
    for (int i = 0; i < oldStrings.length; i += 2) {
      if (oldStrings[i] != null) {
        insert(oldStrings[i], oldMeta[i], oldMeta[i + 1], oldStrings[i + 1]);
      }
    }
  }

  int size() {
    return size;
  }
}
