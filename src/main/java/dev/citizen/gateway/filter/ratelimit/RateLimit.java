package dev.citizen.gateway.filter.ratelimit;

import dev.citizen.gateway.config.RateLimitConfig;
import java.time.Duration;

/**
 * One limit as the stores see it: a name (the route and what it is keyed by) and the bucket's
 * shape. Equal limits share buckets, so a reload that keeps a route's settings keeps its buckets,
 * and one that changes them starts afresh.
 *
 * @param name {@code <route id>/<key>}, e.g. {@code patients/client}
 * @param requests sustained requests per {@code per}
 * @param per the period
 * @param burst requests on top of {@code requests} that a full bucket allows at once
 */
public record RateLimit(String name, int requests, Duration per, int burst) {

  public static RateLimit of(String routeId, RateLimitConfig config) {
    return new RateLimit(routeId + "/" + config.key(), config.requests(), config.per(), config.burst());
  }

  /** Requests a full bucket allows at once: {@code requests + burst}. */
  public long capacity() {
    return (long) requests + burst;
  }

  /** The time one request's token takes to come back: {@code per / requests}, at least 1 ns. */
  public long intervalNanos() {
    return Math.max(1, per.toNanos() / requests);
  }
}
