package dev.citizen.gateway.waf.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An ordered collection whose keys may repeat (ARGS, REQUEST_HEADERS, ...). Keys compare
 * case-insensitively, as in ModSecurity v3 ({@code REQUEST_HEADERS:user-agent} finds
 * {@code User-Agent}).
 */
final class KeyedValues {
  private final ArrayList<Entry> entries = new ArrayList<>();
  /** Where an entry's {@link ValueMemo} comes from, shared by equal values; null: its own. */
  private final Function<String, ValueMemo> memos;

  KeyedValues() {
    this(null);
  }

  KeyedValues(Function<String, ValueMemo> memos) {
    this.memos = memos;
  }

  /** Adds a new entry and returns it (another collection with the same entry may share it). */
  Entry add(String key, String value) {
    Entry e = memos == null ? new Entry(key, value) : new Entry(key, value, memos.apply(value));
    entries.add(e);
    return e;
  }

  /** Makes room for {@code more} entries beyond those held, so that adding them copies nothing. */
  void reserve(int more) {
    entries.ensureCapacity(entries.size() + more);
  }

  /** Adds an entry of another collection: ARGS_POST holds ARGS's entries of the body. */
  void add(Entry e) {
    entries.add(e);
  }

  List<Entry> all() {
    return entries;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  int size() {
    return entries.size();
  }

  /** The first value under {@code key}, or null. */
  String first(String key) {
    for (Entry e : entries) {
      if (e.key().equalsIgnoreCase(key)) {
        return e.value();
      }
    }
    return null;
  }
}
