package dev.citizen.gateway.config;

/**
 * A routing rule: which requests ({@link MatchConfig}) go to which service, and how.
 *
 * @param id unique name, used in logs and metrics
 * @param match what requests this route takes
 * @param service the service (key under {@code services}) that gets them
 * @param stripPrefix a leading path prefix removed before forwarding, e.g. {@code /api}
 * @param maxBodyBytes body limit for this route (default {@code server.limits.maxBodyBytes})
 * @param preserveHost forward the client's Host header instead of the endpoint's authority
 *     (default false; the original host is always sent as {@code X-Forwarded-Host})
 * @param timeouts per-attempt connect and response timeouts and an overall deadline
 * @param retries when a failed attempt is tried again on another endpoint
 * @param auth authentication required on this route (JWT bearer tokens, API keys); none by default
 * @param rateLimit the route's request rate limit; none by default
 * @param cors cross-origin access, preflight answered by the gateway; none by default
 * @param headers security response headers, overriding {@code security.headers} for this route
 * @param clients IP allow and deny lists and bot refusal for this route
 * @param login the route is a login endpoint: its upstream 401 answers count towards auto-ban
 * @param waf the web application firewall on this route (mode, paranoia level, exclusions); off by
 *     default
 */
public record RouteConfig(
    String id, MatchConfig match, String service, String stripPrefix, DataSize maxBodyBytes,
    Boolean preserveHost, RouteTimeoutsConfig timeouts, RetryConfig retries, AuthConfig auth,
    RateLimitConfig rateLimit, CorsConfig cors, SecurityHeadersConfig headers, ClientAccessConfig clients,
    Boolean login, RouteWafConfig waf) {
  public RouteConfig {
    login = login != null && login;
    preserveHost = preserveHost != null && preserveHost;
    timeouts = timeouts == null ? RouteTimeoutsConfig.DEFAULT : timeouts;
    retries = retries == null ? RetryConfig.DEFAULT : retries;
  }

  /** A route without a WAF. */
  public RouteConfig(String id, MatchConfig match, String service, String stripPrefix, DataSize maxBodyBytes,
      Boolean preserveHost, RouteTimeoutsConfig timeouts, RetryConfig retries, AuthConfig auth,
      RateLimitConfig rateLimit, CorsConfig cors, SecurityHeadersConfig headers, ClientAccessConfig clients,
      Boolean login) {
    this(id, match, service, stripPrefix, maxBodyBytes, preserveHost, timeouts, retries, auth, rateLimit, cors,
        headers, clients, login, null);
  }

  /** A route with defaults for timeouts and retries (tests, demo). */
  public RouteConfig(String id, MatchConfig match, String service, String stripPrefix, DataSize maxBodyBytes,
      Boolean preserveHost) {
    this(id, match, service, stripPrefix, maxBodyBytes, preserveHost, null, null, null, null, null, null, null,
        null, null);
  }
}
