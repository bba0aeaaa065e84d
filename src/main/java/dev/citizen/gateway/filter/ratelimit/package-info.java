/**
 * Per-route request rate limits.
 *
 * <pre>
 * routes:
 *   - id: patients
 *     rateLimit:
 *       requests: 100      # sustained requests per period (required)
 *       per: 1m            # the period, 1ms..1d (required)
 *       burst: 20          # extra requests a full bucket allows at once (default 0)
 *       key: client        # client | apiKey | subject | header:X-Name (default client)
 *       maxKeys: 100000    # buckets kept for this route (default 100000)
 * </pre>
 *
 * <p>Algorithm: GCRA, a token bucket of {@code requests + burst} tokens that refills one token
 * every {@code per / requests}. With {@code requests: 5, per: 1s} five requests pass at once, the
 * sixth is refused, and one more passes every 200 ms. Unlike a fixed window there is no edge at
 * which twice the limit passes.
 *
 * <p>Keys: {@code client} is the client address ({@code Exchange.clientAddress()}, which honours
 * trusted proxies); {@code apiKey} and {@code subject} come from the auth filter's
 * {@code Principal}; {@code header:X-Name} is a request header's value. A request that lacks the
 * key (no principal, no header, or a value over 256 characters) is counted by its client address,
 * in buckets apart from the keyed ones ({@link dev.citizen.gateway.filter.ratelimit.RateLimitKey}).
 *
 * <p>Over the limit: {@code 429} problem+json with code {@code rate_limited}, {@code Retry-After}
 * (seconds until one request would pass, rounded up). Every response of the route, passed or
 * refused, carries the draft-06 headers (draft-ietf-httpapi-ratelimit-headers-06): {@code
 * RateLimit-Limit} (the bucket's size, requests + burst), {@code RateLimit-Remaining} (requests
 * that would pass now) and {@code RateLimit-Reset} (seconds until the bucket is full again). Of the
 * two forms the drafts have had, this one is what clients and libraries parse today; the later
 * structured {@code RateLimit-Policy}/{@code RateLimit} pair describes windowed quotas, which a
 * bucket with a burst has no single one of. Changing form is a change to one method
 * ({@code RateLimitFilter.headers}).
 *
 * <p>Stores: the filter sees a {@link dev.citizen.gateway.filter.ratelimit.RateLimiter} (one
 * limit's buckets, {@code Future<Decision> acquire(key, now)}), obtained from a
 * {@link dev.citizen.gateway.filter.ratelimit.RateLimitStore} when the route is compiled. The
 * in-memory store is per process, shared by all event loops (lock-free compare-and-set per key),
 * bounded by {@code maxKeys}, and kept in {@code EdgeState}, so a config reload does not refill
 * buckets; it keys them by route id, key setting and the limit's numbers, so a reload that changes
 * a limit starts it afresh. A shared store (Redis) for several gateways implements the same two
 * interfaces; if it fails, requests pass (without RateLimit headers) rather than fail.
 */
package dev.citizen.gateway.filter.ratelimit;
