package dev.citizen.gateway.filter.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GCRA boundaries on a fake clock, key isolation, the memory bound and concurrent use. */
@Timeout(30)
class InMemoryRateLimiterTest {
  private static final long MS = 1_000_000;
  private static final long T0 = 5_000 * MS;

  private static InMemoryRateLimiter limiter(int requests, Duration per, int burst) {
    return new InMemoryRateLimiter(new RateLimit("r/client", requests, per, burst), 100_000);
  }

  @Test
  void fiveInABurstPassTheSixthIsRefusedWithTheTimeToWait() {
    InMemoryRateLimiter l = limiter(5, Duration.ofSeconds(1), 0);
    for (int i = 1; i <= 5; i++) {
      Decision d = l.tryAcquire("a", T0);
      assertTrue(d.allowed(), "request " + i);
      assertEquals(5, d.limit());
      assertEquals(5 - i, d.remaining());
      assertEquals(i * 200 * MS, d.resetNanos(), "full again once every spent token is back");
    }
    Decision sixth = l.tryAcquire("a", T0);
    assertFalse(sixth.allowed());
    assertEquals(0, sixth.remaining());
    assertEquals(200 * MS, sixth.retryAfterNanos(), "one token comes back every per/requests");
    assertEquals(1000 * MS, sixth.resetNanos());
    // A refused request costs nothing: still exactly 200 ms to wait.
    assertEquals(200 * MS, l.tryAcquire("a", T0).retryAfterNanos());
  }

  @Test
  void oneRequestPassesPerIntervalAfterTheBurst() {
    InMemoryRateLimiter l = limiter(5, Duration.ofSeconds(1), 0);
    for (int i = 0; i < 5; i++) {
      l.tryAcquire("a", T0);
    }
    Decision early = l.tryAcquire("a", T0 + 200 * MS - 1);
    assertFalse(early.allowed());
    assertEquals(1, early.retryAfterNanos());
    Decision onTime = l.tryAcquire("a", T0 + 200 * MS);
    assertTrue(onTime.allowed());
    assertEquals(0, onTime.remaining());
    assertFalse(l.tryAcquire("a", T0 + 200 * MS).allowed());
    assertTrue(l.tryAcquire("a", T0 + 400 * MS).allowed());
  }

  @Test
  void afterTheResetTimeTheWholeBucketIsBack() {
    InMemoryRateLimiter l = limiter(5, Duration.ofSeconds(1), 0);
    Decision last = null;
    for (int i = 0; i < 6; i++) {
      last = l.tryAcquire("a", T0);
    }
    long reset = last.resetNanos();
    for (int i = 1; i <= 5; i++) {
      assertTrue(l.tryAcquire("a", T0 + reset).allowed(), "request " + i + " after the reset");
    }
    assertFalse(l.tryAcquire("a", T0 + reset).allowed());
  }

  @Test
  void burstAddsToWhatAFullBucketAllowsAtOnce() {
    InMemoryRateLimiter l = limiter(5, Duration.ofSeconds(1), 2);
    for (int i = 1; i <= 7; i++) {
      Decision d = l.tryAcquire("a", T0);
      assertTrue(d.allowed(), "request " + i);
      assertEquals(7, d.limit());
      assertEquals(7 - i, d.remaining());
    }
    Decision refused = l.tryAcquire("a", T0);
    assertFalse(refused.allowed());
    assertEquals(200 * MS, refused.retryAfterNanos(), "the sustained rate is still requests/per");
  }

  @Test
  void anIdleBucketFillsUpButNotBeyondItsCapacity() {
    InMemoryRateLimiter l = limiter(5, Duration.ofSeconds(1), 0);
    l.tryAcquire("a", T0);
    // An hour idle is worth no more than a full bucket.
    long later = T0 + 3_600_000 * MS;
    for (int i = 0; i < 5; i++) {
      assertTrue(l.tryAcquire("a", later).allowed());
    }
    assertFalse(l.tryAcquire("a", later).allowed());
  }

  @Test
  void keysHaveSeparateBuckets() {
    InMemoryRateLimiter l = limiter(1, Duration.ofSeconds(10), 0);
    assertTrue(l.tryAcquire("alice", T0).allowed());
    assertFalse(l.tryAcquire("alice", T0).allowed());
    assertTrue(l.tryAcquire("bob", T0).allowed());
  }

  @Test
  void aClockThatWrapsAroundLongMaxIsNoBoundary() {
    InMemoryRateLimiter l = limiter(5, Duration.ofSeconds(1), 0);
    long start = Long.MAX_VALUE - 100 * MS;
    for (int i = 0; i < 5; i++) {
      assertTrue(l.tryAcquire("a", start).allowed());
    }
    Decision refused = l.tryAcquire("a", start);
    assertFalse(refused.allowed());
    assertEquals(200 * MS, refused.retryAfterNanos());
    assertTrue(l.tryAcquire("a", start + 200 * MS).allowed(), "past Long.MAX_VALUE, nanoTime wraps");
    assertFalse(l.tryAcquire("a", start + 200 * MS).allowed());
  }

  @Test
  void sweepingDropsFullBucketsWithoutChangingAnyDecision() {
    InMemoryRateLimiter l = limiter(2, Duration.ofSeconds(1), 0);
    l.tryAcquire("full-soon", T0);
    l.tryAcquire("busy", T0 + 900 * MS);
    l.tryAcquire("busy", T0 + 900 * MS);
    l.sweep(T0 + 1000 * MS);
    assertEquals(1, l.size(), "only the bucket that is not full again is kept");
    assertFalse(l.tryAcquire("busy", T0 + 1000 * MS).allowed(), "the busy key keeps its debt");
    assertEquals(1, l.tryAcquire("full-soon", T0 + 1000 * MS).remaining(), "a dropped bucket is a full one");
  }

  @Test
  void aFloodOfDistinctKeysStaysWithinMaxKeysAndTheHeaviestKeyKeepsItsDebt() {
    RateLimit limit = new RateLimit("r/client", 10, Duration.ofHours(1), 0);
    InMemoryRateLimiter l = new InMemoryRateLimiter(limit, 1000);
    for (int i = 0; i < 10; i++) {
      l.tryAcquire("abuser", T0);
    }
    assertFalse(l.tryAcquire("abuser", T0).allowed());
    int most = 0;
    for (int i = 0; i < 200_000; i++) {
      // Every key stays live for 6 minutes: only the bound can keep the table small.
      assertTrue(l.tryAcquire("flood-" + i, T0 + i).allowed());
      most = Math.max(most, l.size());
    }
    assertTrue(most <= 1000, "at most maxKeys buckets, saw " + most);
    assertFalse(l.tryAcquire("abuser", T0 + 200_000).allowed(), "the bucket that spent most is not dropped");
  }

  @Test
  void expiredKeysAreSweptAsNewKeysArrive() {
    InMemoryRateLimiter l = limiter(1, Duration.ofMillis(10), 0);
    for (int i = 0; i < 50_000; i++) {
      // Each bucket is full again 10 ms after its request; the clock moves 1 ms per key.
      l.tryAcquire("k" + i, T0 + i * MS);
    }
    assertTrue(l.size() < 2 * InMemoryRateLimiter.MIN_SWEEP_KEYS, "size " + l.size());
  }

  @Test
  void threadsSharingOneKeyGetExactlyTheCapacityBetweenThem() throws Exception {
    InMemoryRateLimiter l = limiter(1000, Duration.ofHours(1), 0);
    AtomicInteger allowed = new AtomicInteger();
    int threads = 4;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 5_000; i++) {
          if (l.tryAcquire("shared", T0).allowed()) {
            allowed.incrementAndGet();
          }
        }
      });
      th.start();
      started.add(th);
    }
    go.countDown();
    for (Thread th : started) {
      th.join();
    }
    assertEquals(1000, allowed.get());
  }

  @Test
  void theStoreKeepsBucketsForAnEqualLimitAndStartsAfreshForAChangedOne() {
    InMemoryRateLimitStore store = new InMemoryRateLimitStore();
    RateLimit limit = new RateLimit("r/client", 5, Duration.ofSeconds(1), 0);
    RateLimiter first = store.limiter(limit, 1000);
    RateLimiter again = store.limiter(new RateLimit("r/client", 5, Duration.ofSeconds(1), 0), 2000);
    assertSame(first, again, "a reload with the same settings keeps the buckets");
    assertNotSame(first, store.limiter(new RateLimit("r/client", 6, Duration.ofSeconds(1), 0), 1000));
    assertNotSame(first, store.limiter(new RateLimit("other/client", 5, Duration.ofSeconds(1), 0), 1000));
  }
}
