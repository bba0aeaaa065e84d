package dev.citizen.gateway.waf.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * An ordered collection whose keys may repeat (ARGS, REQUEST_HEADERS, ...). Keys compare
 * case-insensitively, as in ModSecurity v3 ({@code REQUEST_HEADERS:user-agent} finds
 * {@code User-Agent}).
 */
final class KeyedValues {
  private final List<Entry> entries = new ArrayList<>();

  void add(String key, String value) {
    entries.add(new Entry(key, value));
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
