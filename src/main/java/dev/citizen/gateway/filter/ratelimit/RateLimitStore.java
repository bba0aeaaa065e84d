package dev.citizen.gateway.filter.ratelimit;

/**
 * Where buckets live: one store per gateway process, kept across config reloads, handing out the
 * {@link RateLimiter} of each limit when a route's filters are built.
 */
public interface RateLimitStore {

  /** The limiter of {@code limit}; equal limits get the same buckets. */
  RateLimiter limiter(RateLimit limit, int maxKeys);
}
