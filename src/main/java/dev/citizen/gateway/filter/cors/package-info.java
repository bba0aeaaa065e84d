/**
 * Cross-origin resource sharing (the Fetch standard's CORS protocol), per route, with preflights
 * answered at the gateway.
 *
 * <pre>
 * routes:
 *   - id: patients
 *     match: {path: /api/patients/**}      # a route with match.methods must list OPTIONS too
 *     cors:
 *       allowOrigins: [https://app.example.org, "https://*.example.org"]   # or [*] (required)
 *       allowMethods: [GET, POST, PUT]     # (default GET, HEAD, POST)
 *       allowHeaders: [Content-Type, Authorization]   # or [*] (default none)
 *       exposeHeaders: [X-Request-Id]      # (default none)
 *       allowCredentials: true             # cookies / HTTP auth; never with * (default false)
 *       maxAge: 10m                        # preflight cache (default 10m)
 * </pre>
 *
 * <p>Preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}):
 * answered by the gateway, never forwarded. Allowed: 204 with {@code Access-Control-Allow-Origin}
 * (the origin itself), {@code -Allow-Methods}, {@code -Allow-Headers} (the configured list, or the
 * requested one for {@code *}), {@code -Allow-Credentials} when set and {@code -Max-Age}. Refused
 * (origin, method or a requested header not allowed): 403 problem+json {@code cors_rejected},
 * without CORS headers, naming what was refused.
 *
 * <p>Other requests go on to the service whatever their origin: CORS lets browsers share
 * responses; it does not keep requests out (that is auth's job). A response to an allowed origin
 * gets {@code Access-Control-Allow-Origin} with that origin (never {@code *}, even when any origin
 * is allowed, so that {@code Vary} is always right), {@code -Allow-Credentials} and
 * {@code -Expose-Headers} as configured; to any other origin, or with no Origin, no CORS headers.
 * Every response gets {@code Vary: Origin}, and the service's own {@code Access-Control-*}
 * response headers are dropped: on a route with {@code cors} the gateway alone decides.
 *
 * <p>Scripts read only CORS-safelisted response headers unless {@code exposeHeaders} names more:
 * list {@code Retry-After} and {@code RateLimit-Remaining} there for a page to pace itself by the
 * route's rate limit, {@code X-Request-Id} to quote it in a support call.
 *
 * <p>Origins compare case-insensitively; a configured default port ({@code :443} for https,
 * {@code :80} for http) is ignored, since browsers leave it out. {@code https://*.example.org}
 * matches any subdomain at any depth, not {@code https://example.org} itself. The origin
 * {@code null} cannot be allowed: sandboxed documents and local files send it.
 */
package dev.citizen.gateway.filter.cors;
