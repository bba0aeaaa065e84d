package dev.citizen.gateway.client;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Bans} in this process's memory: two concurrent maps, failure counters and bans, by
 * address. Thread-safe: every change to one address's entry is atomic ({@code compute},
 * {@code putIfAbsent}, conditional {@code remove}), and the count of bans is kept beside the map
 * so that {@link #isBanned} is one volatile read while nothing is banned.
 *
 * <p>Bounded: each map holds at most {@link BanPolicy#maxAddresses} entries. Counters expire one
 * window after their last failure, bans at their end; both are swept at most once a second, by
 * whichever request comes along (no timer, so nothing to stop on close). A ban is enforced to the
 * millisecond regardless, since {@link #isBanned} checks its end; the log line saying it was lifted
 * comes with the sweep, at the next request or admin look after the end. When a map is full, new
 * addresses are not counted or banned (a WARN says so, once a minute): the alternative, evicting,
 * would let an attacker with many addresses push a real one out of the table.
 */
public final class InMemoryBans implements Bans {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryBans.class);
  private static final long SWEEP_EVERY_MILLIS = 1000;
  private static final long CAP_WARNING_EVERY_MILLIS = 60_000;

  private final LongSupplier clock;
  private final ConcurrentHashMap<String, Ban> bans = new ConcurrentHashMap<>();
  private final AtomicInteger banCount = new AtomicInteger();
  private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
  private final AtomicLong nextSweep = new AtomicLong();
  private final AtomicLong nextCapWarning = new AtomicLong();

  /** @param clock epoch milliseconds ({@code System::currentTimeMillis}; tests pass their own) */
  public InMemoryBans(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public boolean isBanned(String address) {
    if (banCount.get() == 0 || address == null) {
      return false;
    }
    long now = clock.getAsLong();
    sweepIfDue(now);
    Ban ban = bans.get(address);
    if (ban == null) {
      return false;
    }
    if (now < ban.until()) {
      return true;
    }
    remove(ban, "expired");
    return false;
  }

  @Override
  public void authenticationFailed(String address, BanPolicy policy) {
    if (address == null) {
      return;
    }
    long now = clock.getAsLong();
    sweepIfDue(now);
    if (bans.containsKey(address)) {
      return; // requests that were in flight when the ban began
    }
    if (!failures.containsKey(address) && failures.size() >= policy.maxAddresses()) {
      capReached(now, "failure counters", policy);
      return;
    }
    int[] count = new int[1];
    failures.compute(address, (a, f) -> {
      Failures counter = f == null ? new Failures(policy.maxFailures()) : f;
      count[0] = counter.add(now, policy);
      return count[0] >= policy.maxFailures() ? null : counter;
    });
    if (count[0] >= policy.maxFailures()) {
      ban(address, now, count[0], policy);
    }
  }

  private void ban(String address, long now, int count, BanPolicy policy) {
    if (bans.size() >= policy.maxAddresses()) {
      capReached(now, "bans", policy);
      return;
    }
    Ban ban = new Ban(address, now, now + policy.banForMillis(), count);
    if (bans.putIfAbsent(address, ban) == null) {
      banCount.incrementAndGet();
      LOG.atWarn().addKeyValue("event", "client_banned").addKeyValue("client", address)
          .addKeyValue("failures", count).addKeyValue("until", Instant.ofEpochMilli(ban.until()).toString())
          .log("client {} banned until {} after {} failed authentications within {}", address,
              Instant.ofEpochMilli(ban.until()), count, duration(policy.windowMillis()));
    }
  }

  @Override
  public Future<List<Ban>> list() {
    long now = clock.getAsLong();
    List<Ban> out = new ArrayList<>();
    for (Ban ban : bans.values()) {
      if (now < ban.until()) {
        out.add(ban);
      } else {
        remove(ban, "expired");
      }
    }
    out.sort(Comparator.comparingLong(Ban::since).thenComparing(Ban::address));
    return Future.succeededFuture(out);
  }

  @Override
  public Future<Boolean> lift(String address) {
    Ban ban = bans.get(address);
    return Future.succeededFuture(ban != null && remove(ban, "lifted"));
  }

  @Override
  public Future<Integer> liftAll() {
    int n = 0;
    for (Ban ban : bans.values()) {
      if (remove(ban, "lifted")) {
        n++;
      }
    }
    return Future.succeededFuture(n);
  }

  /** Removes exactly this ban (not a newer one for the same address) and logs it; false if it was gone. */
  private boolean remove(Ban ban, String reason) {
    if (!bans.remove(ban.address(), ban)) {
      return false;
    }
    banCount.decrementAndGet();
    LOG.atInfo().addKeyValue("event", "client_unbanned").addKeyValue("client", ban.address())
        .addKeyValue("reason", reason)
        .log("client {} no longer banned ({})", ban.address(), reason);
    return true;
  }

  private void sweepIfDue(long now) {
    long due = nextSweep.get();
    if (now < due || !nextSweep.compareAndSet(due, now + SWEEP_EVERY_MILLIS)) {
      return;
    }
    for (Ban ban : bans.values()) {
      if (now >= ban.until()) {
        remove(ban, "expired");
      }
    }
    for (String address : failures.keySet()) {
      failures.computeIfPresent(address, (a, f) -> now >= f.expiresAt ? null : f);
    }
  }

  private void capReached(long now, String what, BanPolicy policy) {
    long due = nextCapWarning.get();
    if (now >= due && nextCapWarning.compareAndSet(due, now + CAP_WARNING_EVERY_MILLIS)) {
      LOG.warn("auto-ban: {} addresses have {}, the limit security.autoBan.maxAddresses; further addresses "
          + "are not counted or banned until entries expire", policy.maxAddresses(), what);
    }
  }

  /** As the config writes durations: 5m, 30s, 250ms. */
  private static String duration(long millis) {
    return millis % 60_000 == 0 ? millis / 60_000 + "m" : millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /** Number of addresses with failure counters (tests). */
  int trackedAddresses() {
    return failures.size();
  }

  /**
   * The latest failure times of one address, at most {@code maxFailures} of them (a ring).
   * Only touched inside the map's {@code compute} for its address, so it needs no lock of its own.
   */
  private static final class Failures {
    private long[] times;
    private int next;
    private int size;
    /** The counter is dropped after this: one window after the last failure. */
    private long expiresAt;

    Failures(int maxFailures) {
      times = new long[Math.max(1, maxFailures)];
    }

    /** Records a failure at {@code now}; the failures within the window, this one included. */
    int add(long now, BanPolicy policy) {
      if (times.length != Math.max(1, policy.maxFailures())) {
        resize(Math.max(1, policy.maxFailures())); // a reload changed maxFailures
      }
      times[next] = now;
      next = (next + 1) % times.length;
      size = Math.min(size + 1, times.length);
      expiresAt = now + policy.windowMillis();
      int within = 0;
      for (int i = 0; i < size; i++) {
        if (now - times[i] < policy.windowMillis()) {
          within++;
        }
      }
      return within;
    }

    private void resize(int length) {
      long[] resized = new long[length];
      int keep = Math.min(size, length);
      for (int i = 0; i < keep; i++) { // the newest ones
        resized[keep - 1 - i] = times[Math.floorMod(next - 1 - i, times.length)];
      }
      times = resized;
      size = keep;
      next = keep % length;
    }
  }
}
