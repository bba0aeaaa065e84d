package dev.citizen.gateway.route;

import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Picks the route for a request, deterministically and most specific first: exact paths, then
 * templates, then prefixes; longer literal text first; then file order. The first route whose
 * path, method, host and headers all match wins.
 */
public final class Router {
  private static final Comparator<Route> SPECIFICITY = Comparator
      .comparingInt((Route r) -> r.path().kind().ordinal())
      .thenComparing(r -> -r.path().literalLength())
      .thenComparingInt(Route::order);

  private final Route[] routes;

  public Router(List<Route> routes) {
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(SPECIFICITY);
    this.routes = sorted.toArray(new Route[0]);
  }

  /** The matching route, or null. {@code path} must be normalised. */
  public Route match(HttpServerRequest request, String path) {
    String host = hostName(request);
    for (Route r : routes) {
      if (r.path().matches(path) && r.matchesRest(request, host)) {
        return r;
      }
    }
    return null;
  }

  /**
   * On a miss: the methods that routes matching everything but the method allow, so the caller
   * can answer 405 with {@code Allow} instead of 404. Empty when no route would match anyway.
   */
  public Set<String> allowedMethods(HttpServerRequest request, String path) {
    String host = hostName(request);
    Set<String> allowed = new TreeSet<>();
    for (Route r : routes) {
      if (r.path().matches(path) && r.matchesHost(host) && r.matchesHeaders(request)) {
        if (r.methods().isEmpty()) {
          return Set.of();
        }
        allowed.addAll(r.methods());
      }
    }
    return allowed;
  }

  /** Routes in match order (for the admin API and tests). */
  public List<Route> routes() {
    return List.of(routes);
  }

  /** Host without port, from Host (HTTP/1.1) or :authority (HTTP/2). */
  static String hostName(HttpServerRequest request) {
    var authority = request.authority();
    return authority == null ? null : authority.host();
  }
}
