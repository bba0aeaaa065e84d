package dev.citizen.gateway.filter.ratelimit;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * Buckets in this process's memory, shared by all its event loops: one bucket per key for the
 * whole gateway, whichever loop a request arrives on.
 *
 * <p>Limiters are held weakly: a limiter lives as long as a route's filter of some snapshot (the
 * serving one, or an old one still draining) uses it, so a reload that keeps a limit keeps its
 * buckets, and a limit no config uses any more is freed by the garbage collector, buckets and all.
 */
public final class InMemoryRateLimitStore implements RateLimitStore {
  private final Map<RateLimit, WeakReference<InMemoryRateLimiter>> limiters = new HashMap<>();

  /** Config time only (a snapshot being compiled), hence a plain lock. */
  @Override
  public synchronized RateLimiter limiter(RateLimit limit, int maxKeys) {
    limiters.values().removeIf(ref -> ref.get() == null);
    WeakReference<InMemoryRateLimiter> ref = limiters.get(limit);
    InMemoryRateLimiter limiter = ref == null ? null : ref.get();
    if (limiter == null) {
      limiter = new InMemoryRateLimiter(limit, maxKeys);
      limiters.put(limit, new WeakReference<>(limiter));
    } else {
      limiter.maxKeys(maxKeys);
    }
    return limiter;
  }

  /** Limiters still held (tests). */
  synchronized int size() {
    limiters.values().removeIf(ref -> ref.get() == null);
    return limiters.size();
  }
}
