/**
 * The terminal step of the request path: {@link dev.citizen.gateway.proxy.ProxyCall} forwards an
 * exchange to an endpoint and streams both bodies with backpressure.
 *
 * <p>What it guarantees: hop-by-hop headers (RFC 9110 §7.6.1 and those named in
 * {@code Connection}) stay on their hop; {@code X-Forwarded-For} carries the verified chain (the
 * client through the trusted proxies to the peer; just the peer when no trusted proxy is in front),
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} are set (a trusted proxy's own values are
 * kept when well-formed), {@code X-Request-Id} is sent, and this gateway's {@link
 * dev.citizen.gateway.proxy.Via} entry, by which a request that comes back to it is answered 508;
 * the query string passes byte for byte. Refused connection: 502; connect or response timeout:
 * 504; body over the route limit: 413 (also for chunked bodies, counted as they stream); a reset
 * after the response started closes the client connection, never ending it cleanly.
 * {@code Expect: 100-continue} is answered by the gateway once the route accepted the request.
 */
package dev.citizen.gateway.proxy;
