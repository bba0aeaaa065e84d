package dev.citizen.gateway.filter.ratelimit;

import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Filter;
import dev.citizen.gateway.filter.Next;
import dev.citizen.gateway.filter.Phase;
import dev.citizen.gateway.filter.Response;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.function.LongSupplier;

/**
 * A route's rate limit: takes a token from the request's bucket, answers 429 {@code rate_limited}
 * when there is none, and reports the bucket in {@code RateLimit-*} headers on every response.
 *
 * <p>Runs in the SECURITY phase after authentication, so that a limit keyed by API key or subject
 * sees the principal; after CORS, so that a browser can read its 429.
 */
public final class RateLimitFilter implements Filter {
  static final CharSequence RATELIMIT_LIMIT = HttpHeaders.createOptimized("RateLimit-Limit");
  static final CharSequence RATELIMIT_REMAINING = HttpHeaders.createOptimized("RateLimit-Remaining");
  static final CharSequence RATELIMIT_RESET = HttpHeaders.createOptimized("RateLimit-Reset");

  private final RateLimiter limiter;
  private final RateLimitKey key;
  private final LongSupplier clock;

  public RateLimitFilter(RateLimiter limiter, RateLimitKey key, LongSupplier clock) {
    this.limiter = limiter;
    this.key = key;
    this.clock = clock;
  }

  @Override
  public Phase phase() {
    return Phase.SECURITY;
  }

  @Override
  public Future<Response> handle(Exchange exchange, Next next) {
    Future<Decision> decision = limiter.acquire(key.of(exchange), clock.getAsLong());
    if (decision.succeeded()) { // the in-memory limiter: decided already, no continuation needed
      return apply(decision.result(), exchange, next);
    }
    // A shared store that cannot answer lets the request through: an outage of the limiter's
    // store must not become an outage of the API. The request then carries no RateLimit headers.
    return decision.transform(ar -> ar.succeeded() ? apply(ar.result(), exchange, next) : next.handle(exchange));
  }

  private static Future<Response> apply(Decision d, Exchange exchange, Next next) {
    if (!d.allowed()) {
      long retryAfter = seconds(d.retryAfterNanos());
      Response r = Response.problem(429, "rate_limited", "too many requests; retry after " + retryAfter + " s");
      r.headers().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
      headers(r.headers(), d);
      return Future.succeededFuture(r);
    }
    return next.handle(exchange).map(r -> {
      if (r != null) { // null: a WebSocket tunnel, its 101 is already written
        headers(r.headers(), d);
      }
      return r;
    });
  }

  /**
   * RateLimit-Limit, -Remaining and -Reset (draft-ietf-httpapi-ratelimit-headers-06): the bucket's
   * capacity, requests that would pass now, and seconds until it is full again. Set, not added:
   * a service's own RateLimit headers describe another limit and would contradict these.
   */
  static void headers(MultiMap headers, Decision d) {
    headers.set(RATELIMIT_LIMIT, Long.toString(d.limit()));
    headers.set(RATELIMIT_REMAINING, Long.toString(d.remaining()));
    headers.set(RATELIMIT_RESET, Long.toString(seconds(d.resetNanos())));
  }

  /** Whole seconds, rounded up: a client that waits this long is never early. */
  static long seconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos + 999_999_999) / 1_000_000_000;
  }
}
