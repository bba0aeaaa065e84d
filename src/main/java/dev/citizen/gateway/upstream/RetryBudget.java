package dev.citizen.gateway.upstream;

import dev.citizen.gateway.config.RetryBudgetConfig;

/**
 * How many retries a service may still take: over a sliding window of {@value #SECONDS} one-second
 * buckets, retries may be at most {@code percent} of the requests, plus {@code minPerSecond} per
 * second of the window. When a service fails everything, its traffic grows by that share at
 * most, instead of by the number of attempts.
 */
public final class RetryBudget {
  static final int SECONDS = 10;

  private final int percent;
  private final long reserve;
  private final long[] requests = new long[SECONDS];
  private final long[] retries = new long[SECONDS];
  private final long[] bucketSecond = new long[SECONDS];

  RetryBudget(RetryBudgetConfig config) {
    this.percent = config.percent();
    this.reserve = (long) config.minPerSecond() * SECONDS;
  }

  /** A first attempt was made. */
  public synchronized void request(long nowNanos) {
    requests[bucket(nowNanos)]++;
  }

  /** Takes one retry from the budget; false when none is left. */
  public synchronized boolean tryRetry(long nowNanos) {
    bucket(nowNanos);
    long req = 0;
    long ret = 0;
    for (int i = 0; i < SECONDS; i++) {
      req += requests[i];
      ret += retries[i];
    }
    if (ret + 1 > req * percent / 100 + reserve) {
      return false;
    }
    retries[bucket(nowNanos)]++;
    return true;
  }

  /** The current bucket, clearing buckets that fell out of the window. */
  private int bucket(long nowNanos) {
    long second = nowNanos / 1_000_000_000L;
    int i = (int) Math.floorMod(second, (long) SECONDS);
    if (bucketSecond[i] != second) {
      bucketSecond[i] = second;
      requests[i] = 0;
      retries[i] = 0;
    }
    // Buckets of seconds that had no traffic at all still hold counts from a window ago.
    for (int j = 0; j < SECONDS; j++) {
      if (second - bucketSecond[j] >= SECONDS) {
        requests[j] = 0;
        retries[j] = 0;
        bucketSecond[j] = second - SECONDS; // stays stale until reused
      }
    }
    return i;
  }
}
