package dev.citizen.gateway.upstream;

import dev.citizen.gateway.config.OutlierDetectionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health checking (outlier detection) for one service: counts failures in a row per
 * endpoint from real traffic and ejects an endpoint that reaches the limit. Each ejection that
 * follows soon after the last one lasts twice as long, up to the maximum; an endpoint that stayed
 * in for a full maximum ejection time starts again from the base time.
 *
 * <p>The state lives in the {@link Endpoint}s, so it survives the reload that replaces this
 * detector; {@code now} is passed in so tests can drive the clock.
 */
final class OutlierDetector {
  private static final Logger LOG = LoggerFactory.getLogger(OutlierDetector.class);
  /**
   * Ejecting is rare (once per {@code consecutiveFailures} failures at most), so one lock for all
   * services costs nothing, and it still holds across a reload: requests of the old snapshot
   * report to the old detector, which must not eject past maxEjectionPercent alongside the new one.
   */
  private static final Object LOCK = new Object();

  private final String service;
  private final OutlierDetectionConfig config;
  private final Endpoint[] endpoints;
  private final long baseNanos;
  private final long maxNanos;
  /** Told after each ejection, so that a version left with no endpoint can be rolled back. */
  private final Runnable onEjected;

  OutlierDetector(String service, OutlierDetectionConfig config, Endpoint[] endpoints, Runnable onEjected) {
    this.service = service;
    this.onEjected = onEjected;
    this.config = config;
    this.endpoints = endpoints;
    this.baseNanos = config.baseEjectionTime().toNanos();
    this.maxNanos = config.maxEjectionTime().toNanos();
  }

  void success(Endpoint e) {
    // Read first: a write per request would bounce the cache line between event loops.
    if (e.consecutiveFailures.get() != 0) {
      e.consecutiveFailures.set(0);
    }
  }

  void failure(Endpoint e, long nowNanos) {
    // Requests sent before the ejection still fail in: counting them would leave the endpoint
    // fewer failures to go than configured when it comes back.
    if (!config.enabled() || e.ejected(nowNanos)) {
      return;
    }
    if (e.consecutiveFailures.incrementAndGet() >= config.consecutiveFailures()) {
      eject(e, nowNanos);
    }
  }

  private void eject(Endpoint e, long nowNanos) {
    synchronized (LOCK) {
      if (e.ejected(nowNanos)) {
        return; // another event loop got here first
      }
      int ejected = 0;
      for (Endpoint other : endpoints) {
        if (other.ejected(nowNanos)) {
          ejected++;
        }
      }
      int pct = config.maxEjectionPercent();
      // Rounded down: below 100% a service's only endpoint is never ejected. With no panic mode,
      // ejecting it would turn every request into a 503 for the ejection time; that is the circuit
      // breaker's call to make (it measures the whole service), not one endpoint's failures in a row.
      int max = endpoints.length * pct / 100;
      if (ejected >= max) {
        if (max > 0) {
          LOG.warn("service {}: endpoint {} failed {} requests in a row but stays in: {} of {} endpoints "
              + "are ejected already (maxEjectionPercent {})", service, e, e.consecutiveFailures.get(), ejected,
              endpoints.length, pct);
        }
        e.consecutiveFailures.set(0);
        return;
      }
      int n = nowNanos - e.lastEjectionEndNanos > maxNanos ? 1 : e.ejections + 1;
      long duration = duration(n);
      e.ejections = n;
      e.totalEjections++; // under LOCK: the only writer
      e.ejectUntil(nowNanos + duration);
      e.lastEjectionEndNanos = nowNanos + duration;
      LOG.warn("service {}: endpoint {} ejected for {} ms after {} failed requests in a row (ejection {} in a row)",
          service, e, duration / 1_000_000, e.consecutiveFailures.get(), n);
      e.consecutiveFailures.set(0);
    }
    onEjected.run(); // outside the lock: it may roll a canary back, which logs
  }

  /** base × 2^(n-1), capped at the maximum without overflowing on the way. */
  long duration(int n) {
    long d = baseNanos;
    for (int i = 1; i < n && d < maxNanos; i++) {
      d *= 2;
    }
    return Math.min(d, maxNanos);
  }
}
