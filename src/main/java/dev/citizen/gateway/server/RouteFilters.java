package dev.citizen.gateway.server;

import dev.citizen.gateway.config.GatewayConfig;
import dev.citizen.gateway.config.RouteConfig;
import dev.citizen.gateway.filter.Filter;
import dev.citizen.gateway.filter.access.AutoBanFilter;
import dev.citizen.gateway.filter.access.BotFilter;
import dev.citizen.gateway.filter.access.ClientAccessFilter;
import dev.citizen.gateway.filter.cors.CorsFilter;
import dev.citizen.gateway.filter.ratelimit.RateLimit;
import dev.citizen.gateway.filter.ratelimit.RateLimitFilter;
import dev.citizen.gateway.filter.ratelimit.RateLimitKey;
import dev.citizen.gateway.filter.auth.AuthFilter;
import dev.citizen.gateway.filter.waf.WafFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The filter chain of one route, built from its config. The only place that knows every filter:
 * a new feature adds one line here.
 */
final class RouteFilters {
  private RouteFilters() {}

  static List<Filter> build(RouteConfig route, GatewayConfig config, EdgeState edge) {
    List<Filter> filters = new ArrayList<>();
    // Listed in the order they run within a phase; the sort below only orders the phases.
    // Stable sort: within a phase, the order of this list holds.
    // EDGE: auto-ban's counter first, so it sees the response every other filter made.
    AutoBanFilter.forRoute(route, config.security(), edge.bans()).ifPresent(filters::add);
    ClientAccessFilter.forRoute(route.clients()).ifPresent(filters::add);
    BotFilter.forRoute(route.clients()).ifPresent(filters::add);
    // SECURITY: CORS first (a preflight carries no credentials, and later 401/429 answers get CORS
    // headers), then authentication, then rate limits (keyed by the principal auth puts on the
    // exchange), then the WAF: the costliest check (it reads the body) runs last, for callers that
    // may call at all. Its rule set was compiled by Snapshot.compile before this runs.
    if (route.cors() != null) {
      filters.add(new CorsFilter(route.cors()));
    }
    if (route.auth() != null) {
      filters.add(AuthFilter.create(route.id(), route.auth(), edge.jwks()));
    }
    if (route.rateLimit() != null) {
      filters.add(new RateLimitFilter(edge.rateLimits().limiter(RateLimit.of(route.id(), route.rateLimit()),
          route.rateLimit().maxKeys()), RateLimitKey.parse(route.rateLimit().key()), System::nanoTime));
    }
    WafFilter.forRoute(route.waf(), config.waf(), edge.waf(), edge.wafWorkers()).ifPresent(filters::add);
    filters.sort(Comparator.comparing(Filter::phase));
    return List.copyOf(filters);
  }
}
