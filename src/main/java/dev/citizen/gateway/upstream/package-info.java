/**
 * Upstream services at run time: versions and endpoints with their health, the load balancers
 * (round robin, least request, consistent hash), outlier detection, active health checks
 * ({@link dev.citizen.gateway.upstream.HealthChecker}, off the request path), the circuit breaker
 * and the retry budget. The proxy step asks a {@link dev.citizen.gateway.upstream.Service} for a
 * version and an endpoint and reports every attempt's outcome back; see docs/resilience.md.
 *
 * <p>{@code https://} endpoints are called over TLS with their service's {@code tls} settings
 * ({@link dev.citizen.gateway.upstream.UpstreamTls}: CA, client certificate, {@code serverName},
 * {@code verifyHostname}, default the JDK's trust store with hostname verification), put on each
 * request by {@link dev.citizen.gateway.upstream.Service#target}, for proxied requests, WebSocket
 * upgrades and health checks alike.
 */
package dev.citizen.gateway.upstream;
