/**
 * Upstream services and their endpoints, and the load-balancing strategy the proxy step uses to
 * pick an endpoint ({@link dev.citizen.gateway.upstream.RoundRobinLoadBalancer}, weighted by
 * {@code endpoints[].weight}).
 */
package dev.citizen.gateway.upstream;
