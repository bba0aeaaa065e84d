package dev.citizen.gateway.filter.ratelimit;

import io.vertx.core.Future;

/**
 * The buckets of one {@link RateLimit}, by key. The filter only sees this interface, so a shared
 * store (Redis, for a cluster of gateways) replaces the in-memory one without touching it.
 *
 * <p>An implementation that decides without I/O returns an already completed future, which the
 * filter reads at once without scheduling a continuation.
 */
public interface RateLimiter {

  /**
   * Takes one request from {@code key}'s bucket if it has one to give.
   *
   * @param nowNanos the caller's {@link System#nanoTime()} clock; a shared store may use its own
   *     clock instead, so that all gateways agree
   */
  Future<Decision> acquire(String key, long nowNanos);
}
