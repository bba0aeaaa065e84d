package dev.citizen.gateway.filter.ratelimit;

/**
 * A rate limiter's answer for one request, with what the {@code RateLimit-*} headers report.
 *
 * @param allowed whether the request may pass (its token was taken)
 * @param limit the bucket's capacity: requests a full bucket allows at once
 * @param remaining requests that would pass right now, after this one
 * @param resetNanos time until the bucket is full again
 * @param retryAfterNanos for a refused request, time until one would pass; 0 when allowed
 */
public record Decision(boolean allowed, long limit, long remaining, long resetNanos, long retryAfterNanos) {}
