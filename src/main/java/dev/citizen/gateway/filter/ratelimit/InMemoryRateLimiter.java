package dev.citizen.gateway.filter.ratelimit;

import io.vertx.core.Future;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The buckets of one limit in memory, by GCRA (the generic cell rate algorithm): a token bucket
 * kept as one number per key, its theoretical arrival time (TAT). Each request moves the TAT one
 * interval ({@code per / requests}) later, starting from now if it lies in the past; a request
 * that would move it more than the bucket's depth ({@code capacity × interval}) ahead of now is
 * refused. A TAT in the past is a full bucket.
 *
 * <p>Thread-safe and lock-free on the request path: a concurrent map of {@link AtomicLong}s,
 * updated by compare-and-set, so all event loops share one bucket per key.
 *
 * <p>Bounded: a bucket whose TAT has passed is full, and dropping it changes nothing, so sweeps
 * remove those exactly. A sweep runs, on the thread that adds a key, when the table has grown to
 * twice its size after the last one (at least {@value #MIN_SWEEP_KEYS} keys). If live buckets
 * still reach {@code maxKeys}, as in a flood of distinct keys, the ones closest to full are
 * dropped down to 90% of it: each such key gets a full bucket again, the smallest gift there is,
 * while the keys that spent the most keep their debt. The cost, accepted: such a sweep walks and
 * sorts the table on the event loop that adds the key, a few milliseconds for 100000 keys, once
 * per {@code maxKeys / 10} new keys, and only while a flood lasts.
 */
public final class InMemoryRateLimiter implements RateLimiter {
  /** Below this many keys no sweep runs: a small table costs next to nothing. */
  static final int MIN_SWEEP_KEYS = 1024;
  /** The TAT of a bucket being dropped: whoever meets it removes it and starts a fresh one. */
  private static final long DROPPED = Long.MIN_VALUE;

  private final RateLimit limit;
  private final long capacity;
  private final long interval;
  private final long depth;
  private final ConcurrentHashMap<String, AtomicLong> buckets = new ConcurrentHashMap<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile int maxKeys;
  private volatile int sweepAt;

  public InMemoryRateLimiter(RateLimit limit, int maxKeys) {
    this.limit = limit;
    this.capacity = limit.capacity();
    this.interval = limit.intervalNanos();
    this.depth = capacity * interval;
    maxKeys(maxKeys);
  }

  public RateLimit limit() {
    return limit;
  }

  /** Changes the bound (a reload that changed only {@code maxKeys}); applied by the next sweep. */
  void maxKeys(int maxKeys) {
    this.maxKeys = maxKeys;
    this.sweepAt = Math.min(maxKeys, MIN_SWEEP_KEYS);
  }

  @Override
  public Future<Decision> acquire(String key, long nowNanos) {
    return Future.succeededFuture(tryAcquire(key, nowNanos));
  }

  /** {@link #acquire}, synchronously. */
  public Decision tryAcquire(String key, long now) {
    for (;;) {
      AtomicLong bucket = buckets.get(key);
      if (bucket == null) {
        long tat = now + interval;
        bucket = buckets.putIfAbsent(key, new AtomicLong(tat));
        if (bucket == null) {
          maybeSweep(now);
          return allowed(tat, now);
        }
      }
      long tat = bucket.get();
      if (tat == DROPPED) {
        buckets.remove(key, bucket);
        continue;
      }
      // Differences, never comparisons, of nanoTime values: they may wrap.
      long next = (tat - now > 0 ? tat : now) + interval;
      if (next - now > depth) {
        return new Decision(false, capacity, 0, tat - now, next - depth - now);
      }
      if (bucket.compareAndSet(tat, next)) {
        return allowed(next, now);
      }
    }
  }

  private Decision allowed(long tat, long now) {
    long ahead = tat - now;
    return new Decision(true, capacity, (depth - ahead) / interval, ahead, 0);
  }

  /** Keys held now (tests, and the bound's check). */
  public int size() {
    return buckets.size();
  }

  private void maybeSweep(long now) {
    if (buckets.size() >= sweepAt && sweeping.compareAndSet(false, true)) {
      try {
        sweep(now);
      } finally {
        sweeping.set(false);
      }
    }
  }

  /** Drops full buckets, then, at {@code maxKeys}, the fullest of the rest. */
  void sweep(long now) {
    for (Map.Entry<String, AtomicLong> e : buckets.entrySet()) {
      long tat = e.getValue().get();
      if (tat != DROPPED && tat - now <= 0) {
        drop(e.getKey(), e.getValue(), tat);
      }
    }
    int max = maxKeys;
    int size = buckets.size();
    if (size >= max) {
      dropFullest(now, size - (max - max / 10));
      size = buckets.size();
    }
    sweepAt = Math.max(Math.min(max, MIN_SWEEP_KEYS), Math.min(max, 2 * size));
  }

  /** Drops about {@code count} buckets, those whose TAT is nearest (the fullest). */
  private void dropFullest(long now, int count) {
    long[] ahead = new long[buckets.size() + 64];
    int n = 0;
    for (AtomicLong b : buckets.values()) {
      long tat = b.get();
      if (tat != DROPPED && n < ahead.length) {
        ahead[n++] = tat - now;
      }
    }
    if (count <= 0 || n == 0) {
      return;
    }
    Arrays.sort(ahead, 0, n);
    long cutoff = ahead[Math.min(count, n) - 1];
    int dropped = 0;
    for (Map.Entry<String, AtomicLong> e : buckets.entrySet()) {
      if (dropped >= count) {
        return;
      }
      long tat = e.getValue().get();
      if (tat != DROPPED && tat - now <= cutoff && drop(e.getKey(), e.getValue(), tat)) {
        dropped++;
      }
    }
  }

  /** Marks the bucket dropped unless a request moved it meanwhile, then removes it. */
  private boolean drop(String key, AtomicLong bucket, long tat) {
    if (bucket.compareAndSet(tat, DROPPED)) {
      buckets.remove(key, bucket);
      return true;
    }
    return false;
  }
}
