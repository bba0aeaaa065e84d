package dev.citizen.gateway.upstream;

import dev.citizen.gateway.config.OutlierDetectionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health checking (outlier detection) for one service: counts failures in a row per
 * endpoint from real traffic and ejects an endpoint that reaches the limit. Each ejection that
 * follows soon after the last one lasts twice as long, up to the maximum; an endpoint that stayed
 * in for a full maximum ejection time starts again from the base time.
 */
final class OutlierDetector {
  private static final Logger LOG = LoggerFactory.getLogger(OutlierDetector.class);

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
    if (config.enabled() && e.consecutiveFailures.incrementAndGet() >= config.consecutiveFailures()) {
      eject(e, nowNanos);
    }
  }

  private synchronized void eject(Endpoint e, long nowNanos) {
    if (e.ejected(nowNanos)) {
      return;
    }
    int ejected = 0;
    for (Endpoint other : endpoints) {
      if (other.ejected(nowNanos)) {
        ejected++;
      }
    }
    int pct = config.maxEjectionPercent();
    int max = pct == 0 ? 0 : Math.max(1, endpoints.length * pct / 100);
    if (ejected >= max) {
      LOG.warn("service {}: endpoint {} failed {} requests in a row but stays in: {} of {} endpoints are "
          + "ejected already (maxEjectionPercent {})", service, e, e.consecutiveFailures.get(), ejected,
          endpoints.length, pct);
      e.consecutiveFailures.set(0);
      return;
    }
    if (nowNanos - e.lastEjectionEndNanos > maxNanos) {
      e.ejections = 0;
    }
    e.ejections++;
    long duration = baseNanos << Math.min(e.ejections - 1, 20);
    if (duration <= 0 || duration > maxNanos) {
      duration = maxNanos;
    }
    e.ejectUntil(nowNanos + duration);
    e.lastEjectionEndNanos = nowNanos + duration;
    LOG.warn("service {}: endpoint {} ejected for {} ms after {} failed requests in a row (ejection {})",
        service, e, duration / 1_000_000, e.consecutiveFailures.get(), e.ejections);
    e.consecutiveFailures.set(0);
    onEjected.run();
  }
}
