package dev.citizen.gateway.waf.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IP, GLOBAL, ... collections that outlive a transaction ({@code initcol}). In memory, one per
 * rule set: enough for CRS's counters on one gateway; values expire by {@code expirevar} or
 * {@code SecCollectionTimeout}.
 */
final class PersistentStore {

  /** A stored value and when it stops existing (epoch millis, Long.MAX_VALUE for never). */
  record Stored(String value, long expiresAt) {}

  private final Map<String, ConcurrentHashMap<String, Stored>> collections = new ConcurrentHashMap<>();
  private final long timeoutMillis;

  PersistentStore(long timeoutSeconds) {
    this.timeoutMillis = timeoutSeconds <= 0 ? Long.MAX_VALUE / 4 : timeoutSeconds * 1000;
  }

  /** The live map of one collection instance ({@code IP} + {@code 1.2.3.4_hash}), created on demand. */
  ConcurrentHashMap<String, Stored> open(String collection, String key) {
    return collections.computeIfAbsent(collection + "\u0000" + key, k -> new ConcurrentHashMap<>());
  }

  long defaultExpiry(long now) {
    return now + timeoutMillis;
  }
}
