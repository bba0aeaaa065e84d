package dev.citizen.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Auto-ban's counting and expiry on a clock the test moves. */
@Timeout(20)
class InMemoryBansTest {
  private static final long MINUTE = 60_000;
  /** 3 failures within 5 minutes ban for 15 minutes; 100 addresses at most. */
  private static final BanPolicy POLICY = new BanPolicy(3, 5 * MINUTE, 15 * MINUTE, 100);

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final InMemoryBans bans = new InMemoryBans(now::get);

  @Test
  void threeFailuresWithinTheWindowBan() {
    bans.authenticationFailed("203.0.113.7", POLICY);
    now.addAndGet(MINUTE);
    bans.authenticationFailed("203.0.113.7", POLICY);
    assertFalse(bans.isBanned("203.0.113.7"));
    now.addAndGet(MINUTE);
    bans.authenticationFailed("203.0.113.7", POLICY);
    assertTrue(bans.isBanned("203.0.113.7"));
    assertFalse(bans.isBanned("203.0.113.8"), "another address is not");
    List<Ban> list = bans.list().result();
    assertEquals(1, list.size());
    assertEquals(new Ban("203.0.113.7", now.get(), now.get() + 15 * MINUTE, 3), list.get(0));
    assertEquals(0, bans.trackedAddresses(), "the counter went with the ban");
  }

  @Test
  void failuresSpreadWiderThanTheWindowDoNotBan() {
    for (int i = 0; i < 10; i++) {
      bans.authenticationFailed("203.0.113.7", POLICY);
      now.addAndGet(3 * MINUTE); // two in any 5 minutes, never three
    }
    assertFalse(bans.isBanned("203.0.113.7"));
  }

  @Test
  void theBanEndsAfterBanFor() {
    ban("203.0.113.7");
    now.addAndGet(15 * MINUTE - 1);
    assertTrue(bans.isBanned("203.0.113.7"));
    now.addAndGet(1);
    assertFalse(bans.isBanned("203.0.113.7"));
    assertTrue(bans.list().result().isEmpty());
    // Counting starts afresh: one more failure does not ban again.
    bans.authenticationFailed("203.0.113.7", POLICY);
    assertFalse(bans.isBanned("203.0.113.7"));
  }

  @Test
  void expiredBansAreSweptWithoutTheirClientComingBack() {
    ban("203.0.113.7");
    ban("203.0.113.8");
    now.addAndGet(16 * MINUTE);
    assertFalse(bans.isBanned("198.51.100.1"), "any request sweeps");
    assertTrue(bans.list().result().isEmpty());
    assertFalse(bans.isBanned("203.0.113.7"));
  }

  @Test
  void liftOneAndAll() {
    ban("203.0.113.7");
    ban("203.0.113.8");
    ban("2001:db8:0:0:0:0:0:1");
    assertTrue(bans.lift("203.0.113.7").result());
    assertFalse(bans.lift("203.0.113.7").result(), "already lifted");
    assertFalse(bans.isBanned("203.0.113.7"));
    assertTrue(bans.isBanned("203.0.113.8"));
    assertEquals(2, bans.liftAll().result());
    assertFalse(bans.isBanned("203.0.113.8"));
    assertFalse(bans.isBanned("2001:db8:0:0:0:0:0:1"));
  }

  @Test
  void memoryIsBounded() {
    BanPolicy small = new BanPolicy(3, 5 * MINUTE, 15 * MINUTE, 10);
    for (int i = 0; i < 50; i++) {
      bans.authenticationFailed("198.51.100." + i, small);
    }
    assertEquals(10, bans.trackedAddresses());
    // Counters expire one window after their last failure, then there is room again.
    now.addAndGet(5 * MINUTE + 1);
    bans.authenticationFailed("203.0.113.7", small);
    assertEquals(1, bans.trackedAddresses());
    // Already tracked addresses keep counting while the table is full.
    for (int i = 0; i < 9; i++) {
      bans.authenticationFailed("198.51.100." + i, small);
    }
    bans.authenticationFailed("203.0.113.7", small);
    bans.authenticationFailed("203.0.113.7", small);
    assertTrue(bans.isBanned("203.0.113.7"));
  }

  @Test
  void aReloadThatChangesMaxFailuresAppliesToTheNextFailure() {
    bans.authenticationFailed("203.0.113.7", POLICY);
    bans.authenticationFailed("203.0.113.7", POLICY);
    BanPolicy stricter = new BanPolicy(2, 5 * MINUTE, 15 * MINUTE, 100);
    bans.authenticationFailed("203.0.113.7", stricter);
    assertTrue(bans.isBanned("203.0.113.7"));
    BanPolicy laxer = new BanPolicy(5, 5 * MINUTE, 15 * MINUTE, 100);
    for (int i = 0; i < 3; i++) {
      bans.authenticationFailed("203.0.113.8", POLICY);
      now.addAndGet(1);
    }
    assertTrue(bans.isBanned("203.0.113.8"));
    for (int i = 0; i < 4; i++) {
      bans.authenticationFailed("203.0.113.9", laxer);
    }
    assertFalse(bans.isBanned("203.0.113.9"));
    bans.authenticationFailed("203.0.113.9", laxer);
    assertTrue(bans.isBanned("203.0.113.9"));
  }

  @Test
  void concurrentFailuresBanOnce() throws Exception {
    // Eight threads, as many event loops, fail for the same 50 addresses at once.
    InMemoryBans shared = new InMemoryBans(System::currentTimeMillis);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < 8; t++) {
      pool.execute(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int round = 0; round < 100; round++) {
          for (int a = 0; a < 50; a++) {
            shared.authenticationFailed("198.51.100." + a, POLICY);
            shared.isBanned("198.51.100." + a);
          }
        }
      });
    }
    start.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    assertEquals(50, shared.list().result().size());
    for (int a = 0; a < 50; a++) {
      assertTrue(shared.isBanned("198.51.100." + a));
    }
    assertEquals(50, shared.liftAll().result());
    assertFalse(shared.isBanned("198.51.100.1"), "the count of bans came back to zero");
  }

  private void ban(String address) {
    for (int i = 0; i < 3; i++) {
      bans.authenticationFailed(address, POLICY);
    }
    assertTrue(bans.isBanned(address));
  }
}
