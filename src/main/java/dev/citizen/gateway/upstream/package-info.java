/**
 * Upstream services at run time: versions and endpoints with their health, the load balancers
 * (round robin, least request, consistent hash), outlier detection, active health checks
 * ({@link dev.citizen.gateway.upstream.HealthChecker}, off the request path), the circuit breaker
 * and the retry budget. The proxy step asks a {@link dev.citizen.gateway.upstream.Service} for a
 * version and an endpoint and reports every attempt's outcome back; see docs/resilience.md.
 */
package dev.citizen.gateway.upstream;
