package dev.citizen.gateway.filter.auth;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.text.ParseException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of one JWKS URL, fetched without blocking and shared by every route and event loop
 * that names the URL. Lives in the gateway's edge state, so a config reload keeps the keys.
 *
 * <p>When fetches happen:
 * <ul>
 *   <li>the first time keys are wanted (the filter asks when it is built, so usually at start);
 *       requests that arrive meanwhile wait for that one fetch;
 *   <li>when the keys are older than the asking route's {@code jwksRefresh}: the old keys keep
 *       serving while one fetch runs in the background (no request waits for a refresh);
 *   <li>when a token names a key id the set does not have (the identity provider rotated its
 *       keys): at once, but at most once per {@link #MIN_INTERVAL_NANOS 10 s}, so tokens with
 *       made-up key ids cannot make the gateway hammer the identity provider. Requests that ask
 *       while that fetch runs share it; those that ask within the 10 s after it see its result.
 * </ul>
 * After a failed fetch the previous keys stay in use and the next try waits 10 s too.
 *
 * <p>Thread-safe: event loops ask concurrently; the state is guarded by this object's lock,
 * which is never held while a fetch runs. A returned future completes on whichever thread
 * finished the fetch; callers hop back to their own context.
 */
public final class JwksCache {
  private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);
  /** The shortest time between two fetches forced by unknown key ids, and between failed fetches. */
  static final long MIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final String url;
  private final Supplier<Future<String>> fetcher;
  private final LongSupplier nanoTime;

  private KeySet keys; // null until the first successful fetch
  private long fetchedAt;
  private Future<KeySet> inflight;
  private boolean lastFailed;
  private long lastAttempt;
  private long lastForced;
  private boolean forcedEver;
  private long fetches;

  /**
   * @param fetcher starts one GET of the document and completes with its body
   * @param nanoTime the clock ({@link System#nanoTime} but in tests)
   */
  JwksCache(String url, Supplier<Future<String>> fetcher, LongSupplier nanoTime) {
    this.url = url;
    this.fetcher = fetcher;
    this.nanoTime = nanoTime;
  }

  /**
   * The keys, no older than {@code maxAgeNanos} if they can be had: at once when there are some
   * (a stale set also starts a background refresh), else after the fetch in progress. Completes
   * with null when there are none and none can be fetched now.
   */
  Future<KeySet> keys(long maxAgeNanos) {
    Promise<KeySet> launch = null;
    Future<KeySet> answer;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      if (keys != null && now - fetchedAt < maxAgeNanos) {
        return Future.succeededFuture(keys);
      }
      if (inflight == null && (!lastFailed || now - lastAttempt >= MIN_INTERVAL_NANOS)) {
        launch = begin(now);
      }
      // A stale but good set keeps serving while the refresh runs.
      answer = keys != null ? Future.succeededFuture(keys)
          : inflight != null ? inflight : Future.succeededFuture();
    }
    if (launch != null) {
      fetch(launch);
    }
    return answer;
  }

  /**
   * A newer set for a token whose key id is not in {@code seen} (the set that token was checked
   * against): the fetch in progress, or a new one if none was forced within the last 10 s;
   * otherwise the current set (which may already be newer than {@code seen}).
   */
  Future<KeySet> refetch(KeySet seen) {
    Promise<KeySet> launch;
    synchronized (this) {
      if (inflight != null) {
        return inflight;
      }
      if (keys != null && keys != seen) {
        return Future.succeededFuture(keys); // fetched since this token looked
      }
      long now = nanoTime.getAsLong();
      boolean allowed = (!forcedEver || now - lastForced >= MIN_INTERVAL_NANOS)
          && (!lastFailed || now - lastAttempt >= MIN_INTERVAL_NANOS);
      if (!allowed) {
        return Future.succeededFuture(keys);
      }
      forcedEver = true;
      lastForced = now;
      launch = begin(now);
    }
    fetch(launch);
    return launch.future();
  }

  /** Fetches unless keys are there or a fetch runs: the filter calls it when it is built. */
  void prefetch() {
    keys(Long.MAX_VALUE);
  }

  /** Fetches started so far (for tests and logs). */
  synchronized long fetches() {
    return fetches;
  }

  /** Marks a fetch as started; called with the lock held. The fetch itself starts after it is let go. */
  private Promise<KeySet> begin(long now) {
    lastAttempt = now;
    fetches++;
    Promise<KeySet> done = Promise.promise();
    inflight = done.future();
    return done;
  }

  /**
   * Runs one fetch and completes {@code done} with the resulting set. Never called with the lock
   * held: the HTTP client takes locks of its own, and its callbacks take this one.
   */
  private void fetch(Promise<KeySet> done) {
    Future<String> body;
    try {
      body = fetcher.get();
    } catch (RuntimeException e) {
      body = Future.failedFuture(e);
    }
    body.onComplete(ar -> {
      KeySet parsed = null;
      String failure = null;
      if (ar.failed()) {
        failure = String.valueOf(ar.cause().getMessage());
      } else {
        try {
          parsed = KeySet.parseJwkSet(ar.result(), skipped -> LOG.warn("JWKS {}: {}", url, skipped));
          if (parsed.isEmpty()) {
            failure = "no key in the set can check signatures";
            parsed = null;
          }
        } catch (ParseException | RuntimeException e) {
          failure = "not a JWK Set: " + e.getMessage();
        }
      }
      KeySet result;
      synchronized (this) {
        inflight = null;
        lastFailed = parsed == null;
        if (parsed != null) {
          keys = parsed;
          fetchedAt = nanoTime.getAsLong();
        }
        result = keys;
      }
      if (failure != null) {
        LOG.warn("JWKS {}: fetch failed ({}); {}", url, failure, result == null
            ? "no keys yet: tokens cannot be checked until a fetch succeeds (next try in 10 s at the earliest)"
            : "the keys fetched before stay in use");
      } else {
        LOG.info("JWKS {}: {} keys loaded", url, parsed.keys().size());
      }
      done.complete(result);
    });
  }
}
