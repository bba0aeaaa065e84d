package dev.citizen.gateway.filter;

/**
 * Fixed phases of the request path, in the order they run. Explicit phases instead of global
 * integer orders, so that the order of two filters can be read off the config.
 */
public enum Phase {
  /** Connection-level concerns: client address, bans, request ids. */
  EDGE,
  /** Authentication, WAF, rate limits, CORS. */
  SECURITY,
  /** Per-route behaviour: headers, caching, rewriting. */
  ROUTE,
  /** Around the upstream call: circuit breaking, retries, timeouts. */
  UPSTREAM
}
