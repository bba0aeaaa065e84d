package dev.citizen.gateway.filter.cors;

import dev.citizen.gateway.config.CorsConfig;
import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Filter;
import dev.citizen.gateway.filter.Next;
import dev.citizen.gateway.filter.Phase;
import dev.citizen.gateway.filter.Response;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Cross-origin resource sharing for one route: answers preflights itself (204, or 403
 * {@code cors_rejected}) and never forwards them; on other requests from an allowed origin sets
 * {@code Access-Control-Allow-Origin} to that origin, with credentials and exposed headers as
 * configured. Every response of the route says {@code Vary: Origin}, and the service's own
 * {@code Access-Control-*} headers are replaced by the gateway's (or removed).
 *
 * <p>Runs first in the SECURITY phase: a preflight carries no credentials, so it must be answered
 * before authentication, and the answers of later filters (401, 429) get CORS headers so that the
 * page's script can read them.
 */
public final class CorsFilter implements Filter {
  static final CharSequence ALLOW_ORIGIN = HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN;
  static final CharSequence ALLOW_CREDENTIALS = HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS;
  static final CharSequence EXPOSE_HEADERS = HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS;
  static final CharSequence ALLOW_METHODS = HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS;
  static final CharSequence ALLOW_HEADERS = HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS;
  static final CharSequence MAX_AGE = HttpHeaders.ACCESS_CONTROL_MAX_AGE;
  static final CharSequence REQUEST_METHOD = HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD;
  static final CharSequence REQUEST_HEADERS = HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS;
  static final CharSequence ALLOW_PRIVATE_NETWORK = HttpHeaders.createOptimized("Access-Control-Allow-Private-Network");
  private static final CharSequence TRUE = HttpHeaders.createOptimized("true");
  private static final CharSequence ORIGIN = HttpHeaders.createOptimized("Origin");
  private static final CharSequence PREFLIGHT_VARY =
      HttpHeaders.createOptimized("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
  /** Every CORS response header a service might send, all replaced on a route with CORS. */
  private static final CharSequence[] SERVICE_CORS_HEADERS = {ALLOW_ORIGIN, ALLOW_CREDENTIALS, EXPOSE_HEADERS,
      ALLOW_METHODS, ALLOW_HEADERS, MAX_AGE, ALLOW_PRIVATE_NETWORK};

  private final CorsPolicy policy;

  public CorsFilter(CorsConfig config) {
    this.policy = new CorsPolicy(config);
  }

  @Override
  public Phase phase() {
    return Phase.SECURITY;
  }

  @Override
  public Future<Response> handle(Exchange exchange, Next next) {
    HttpServerRequest req = exchange.request();
    String origin = req.getHeader(HttpHeaders.ORIGIN);
    String requestedMethod = origin == null ? null : req.getHeader(REQUEST_METHOD);
    if (requestedMethod != null && req.method() == HttpMethod.OPTIONS) {
      return Future.succeededFuture(preflight(origin, requestedMethod, req.getHeader(REQUEST_HEADERS)));
    }
    boolean allowed = origin != null && policy.allowsOrigin(origin);
    return next.handle(exchange).map(r -> {
      if (r == null) {
        return null; // a WebSocket tunnel: its 101 is already written
      }
      return withCorsHeaders(r, allowed ? origin : null);
    });
  }

  /**
   * The CORS headers on an answer the gateway gave for this route before its filters ran (a
   * Content-Length over the route's limit: 413), so that the page's script can read it too.
   */
  public Response decorateEarlyAnswer(HttpServerRequest req, Response r) {
    String origin = req.getHeader(HttpHeaders.ORIGIN);
    return withCorsHeaders(r, origin != null && policy.allowsOrigin(origin) ? origin : null);
  }

  /** {@code r} with the service's CORS headers replaced by the gateway's for {@code allowedOrigin} (null: none). */
  private Response withCorsHeaders(Response r, String allowedOrigin) {
    MultiMap h = r.headers();
    for (CharSequence name : SERVICE_CORS_HEADERS) {
      h.remove(name);
    }
    if (allowedOrigin != null) {
      h.set(ALLOW_ORIGIN, allowedOrigin);
      if (policy.credentials) {
        h.set(ALLOW_CREDENTIALS, TRUE);
      }
      if (policy.exposeHeaders != null) {
        h.set(EXPOSE_HEADERS, policy.exposeHeaders);
      }
    }
    // Whether the answer carries CORS headers depends on Origin: a cache must not hand one
    // origin's answer (or a no-Origin answer) to another.
    if (!h.contains(HttpHeaders.VARY, ORIGIN, true)) {
      h.add(HttpHeaders.VARY, ORIGIN);
    }
    return r;
  }

  /**
   * A preflight's answer: 204 with what the browser asked for, or 403 {@code cors_rejected} naming
   * what was refused (origin, method or header). A 403 rather than a bare 204 so that the refusal
   * shows as such in logs and metrics; the browser refuses the real request either way.
   */
  private Response preflight(String origin, String method, String requestedHeaders) {
    String refused = null;
    if (!policy.allowsOrigin(origin)) {
      refused = "origin " + origin + " is not allowed";
    } else if (!policy.allowsMethod(method)) {
      refused = "method " + method + " is not allowed";
    } else {
      String header = policy.refusedHeader(requestedHeaders);
      if (header != null) {
        refused = "request header " + header + " is not allowed";
      }
    }
    Response r;
    if (refused != null) {
      r = Response.problem(403, "cors_rejected", "CORS preflight refused: " + refused);
    } else {
      r = Response.buffered(204, HttpHeaders.headers(), null);
      MultiMap h = r.headers();
      h.set(ALLOW_ORIGIN, origin);
      h.set(ALLOW_METHODS, policy.allowMethods);
      if (policy.allowHeaders != null) {
        h.set(ALLOW_HEADERS, policy.allowHeaders);
      } else if (requestedHeaders != null && !requestedHeaders.isBlank()) {
        h.set(ALLOW_HEADERS, requestedHeaders); // allowHeaders: [*]: whatever was asked for
      }
      if (policy.credentials) {
        h.set(ALLOW_CREDENTIALS, TRUE);
      }
      h.set(MAX_AGE, policy.maxAge);
    }
    r.headers().set(HttpHeaders.VARY, PREFLIGHT_VARY);
    return r;
  }
}
