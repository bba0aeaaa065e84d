package dev.citizen.gateway.config;

/**
 * How a service picks an endpoint for a request.
 *
 * @param policy the algorithm (default round-robin)
 * @param hashHeader for consistent-hash: the request header whose value is hashed
 * @param hashCookie for consistent-hash: the cookie whose value is hashed (the header wins when
 *     both are configured and present)
 */
public record LoadBalancerConfig(Policy policy, String hashHeader, String hashCookie) {
  public static final LoadBalancerConfig DEFAULT = new LoadBalancerConfig(null, null, null);

  public enum Policy { ROUND_ROBIN, LEAST_REQUEST, CONSISTENT_HASH }

  public LoadBalancerConfig {
    policy = policy == null ? Policy.ROUND_ROBIN : policy;
  }
}
