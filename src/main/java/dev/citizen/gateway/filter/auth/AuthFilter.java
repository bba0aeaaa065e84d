package dev.citizen.gateway.filter.auth;

import dev.citizen.gateway.config.ApiKeyConfig;
import dev.citizen.gateway.config.AuthConfig;
import dev.citizen.gateway.config.JwtConfig;
import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Filter;
import dev.citizen.gateway.filter.Next;
import dev.citizen.gateway.filter.Phase;
import dev.citizen.gateway.filter.Response;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Authenticates the requests of one route ({@code auth}): a JWT bearer token, an API key, or
 * either of the two when both are configured. Puts the {@link Principal} on the exchange, forwards
 * chosen claims as headers, and answers itself when nobody could be authenticated:
 *
 * <ul>
 *   <li>401 with {@code WWW-Authenticate: Bearer realm="..."} when no credential was sent, and with
 *       {@code error="invalid_token"} and a short {@code error_description} when a token was
 *       refused (RFC 6750); routes with API keys also get an {@code ApiKey realm="...",
 *       header="X-API-Key"} challenge;
 *   <li>403 with {@code error="insufficient_scope"} and {@code scope="..."} when a valid token
 *       lacks a required scope;
 *   <li>503 {@code auth_unavailable} when tokens cannot be checked at all yet (the JWK Set was
 *       never fetched).
 * </ul>
 * The exact reason of a refusal goes to the log (INFO; DEBUG for missing and expired
 * credentials, which are routine), never to the client.
 */
public final class AuthFilter implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);
  /** What a client waits before asking again while the keys cannot be fetched (the refetch throttle). */
  static final String RETRY_AFTER_SECONDS = "10";
  static final String WWW_AUTHENTICATE = "WWW-Authenticate";

  private final String routeId;
  private final String realm;
  private final TokenChecker tokens;
  private final ApiKeys apiKeys;
  private final String apiKeyHeader;
  private final List<String> requiredScopes;
  private final String scopeList;
  private final ClaimHeaders claimHeaders;
  private final boolean stripAuthorization;

  AuthFilter(String routeId, AuthConfig config, TokenChecker tokens) {
    this.routeId = routeId;
    this.realm = config.realm();
    this.tokens = tokens;
    JwtConfig jwt = config.jwt();
    if (config.apiKeys() != null) {
      List<ApiKeyConfig> keys = config.apiKeys().keys();
      this.apiKeys = new ApiKeys(keys.stream().map(ApiKeyConfig::id).toList(),
          keys.stream().map(ApiKeyConfig::sha256).toList());
      this.apiKeyHeader = config.apiKeys().header();
    } else {
      this.apiKeys = null;
      this.apiKeyHeader = null;
    }
    this.requiredScopes = jwt == null ? List.of() : List.copyOf(jwt.scopes());
    this.scopeList = String.join(" ", requiredScopes);
    this.claimHeaders = new ClaimHeaders(jwt == null ? Map.of() : jwt.claimHeaders());
    this.stripAuthorization = jwt != null && jwt.stripAuthorization();
  }

  /**
   * The filter for a route with {@code auth}. Loads the static keys and asks the JWKS cache of
   * the route's URL (shared through {@code jwks}) for its keys, so they are usually there before
   * the first request. Throws IllegalArgumentException when a key file cannot be loaded.
   */
  public static AuthFilter create(String routeId, AuthConfig config, JwksCaches jwks) {
    return create(routeId, config, jwks, System::currentTimeMillis);
  }

  static AuthFilter create(String routeId, AuthConfig config, JwksCaches jwks, LongSupplier clockMillis) {
    JwtConfig jwt = config.jwt();
    TokenChecker checker = null;
    if (jwt != null) {
      JwksCache cache = jwt.jwksUrl() == null ? null : jwks.forUrl(jwt.jwksUrl());
      if (cache != null && jwks.canFetch()) {
        cache.prefetch();
      }
      checker = new TokenChecker(jwt, StaticKeys.load(jwt), cache, clockMillis);
    }
    return new AuthFilter(routeId, config, checker);
  }

  @Override
  public Phase phase() {
    return Phase.SECURITY;
  }

  @Override
  public Future<Response> handle(Exchange exchange, Next next) {
    MultiMap headers = exchange.request().headers();
    // First of all: the client never gets to set what the service takes for checked claims.
    claimHeaders.removeFrom(headers);
    boolean keySent = false;
    if (apiKeys != null) {
      List<String> sent = headers.getAll(apiKeyHeader);
      headers.remove(apiKeyHeader); // never forwarded, valid or not
      keySent = !sent.isEmpty();
      String id = sent.size() == 1 ? apiKeys.match(sent.get(0).trim()) : null;
      if (id != null) {
        return pass(exchange, next, new Principal(null, id, Set.of(), Map.of()));
      }
    }
    if (tokens == null) {
      return keySent ? refuse(exchange, "invalid_api_key", null, badKey(), true)
          : refuse(exchange, "unauthorized", null, "no credentials", false);
    }
    List<String> authorization = headers.getAll(HttpHeaders.AUTHORIZATION);
    String token = authorization.size() == 1 ? bearerToken(authorization.get(0)) : null;
    if (token == null) {
      if (authorization.size() > 1) {
        return refuse(exchange, "invalid_token", TokenChecker.Rejection.MALFORMED,
            "more than one Authorization header", keySent);
      }
      if (keySent) {
        return refuse(exchange, "invalid_api_key", null, badKey(), true);
      }
      return refuse(exchange, "unauthorized", null, "no credentials", false);
    }
    if (token.isEmpty()) {
      return refuse(exchange, "invalid_token", TokenChecker.Rejection.MALFORMED, "empty bearer token", keySent);
    }
    Future<TokenChecker.Outcome> checked = tokens.check(token);
    boolean key = keySent;
    if (checked.isComplete()) {
      return afterCheck(exchange, next, checked.result(), key);
    }
    // The keys were being fetched: the answer may come on another event loop. The exchange and
    // the rest of the chain belong to this one, so continue here.
    Context here = Vertx.currentContext();
    Promise<Response> out = Promise.promise();
    checked.onComplete(ar -> {
      Runnable go = () -> {
        try {
          afterCheck(exchange, next, ar.result(), key).onComplete(r -> {
            if (r.succeeded()) {
              out.complete(r.result());
            } else {
              out.fail(r.cause());
            }
          });
        } catch (RuntimeException e) {
          out.fail(e);
        }
      };
      if (here == null || here == Vertx.currentContext()) {
        go.run();
      } else {
        here.runOnContext(v -> go.run());
      }
    });
    return out.future();
  }

  private String badKey() {
    return apiKeyHeader + " matches no configured key (or was sent more than once)";
  }

  private Future<Response> afterCheck(Exchange exchange, Next next, TokenChecker.Outcome outcome, boolean keySent) {
    if (outcome.principal() == null) {
      return refuse(exchange, "invalid_token", outcome.rejection(), outcome.detail(), keySent);
    }
    Principal p = outcome.principal();
    List<String> missing = SmartScopes.missing(p.scopes(), requiredScopes);
    if (!missing.isEmpty()) {
      log(exchange, Level.INFO, "token lacks scopes " + missing);
      Response r = Response.problem(403, "insufficient_scope", "the token lacks a required scope: "
          + String.join(" ", missing));
      r.headers().add(WWW_AUTHENTICATE, "Bearer realm=\"" + realm + "\", error=\"insufficient_scope\", "
          + "error_description=\"insufficient scope\", scope=\"" + scopeList + "\"");
      return Future.succeededFuture(r);
    }
    List<String> unsendable = claimHeaders.addTo(exchange.request().headers(), p.claims());
    if (!unsendable.isEmpty()) {
      log(exchange, Level.DEBUG, "claims " + unsendable + " have values no header can carry; not forwarded");
    }
    return pass(exchange, next, p);
  }

  private Future<Response> pass(Exchange exchange, Next next, Principal principal) {
    if (stripAuthorization) {
      exchange.request().headers().remove(HttpHeaders.AUTHORIZATION);
    }
    exchange.put(Principal.KEY, principal);
    return next.handle(exchange);
  }

  /**
   * The refusal: 401 with the route's challenges (the bearer one carrying {@code error} when a
   * token was refused), or 503 when tokens cannot be checked yet.
   *
   * @param code the problem code: unauthorized, invalid_token or invalid_api_key
   * @param rejection why a token was refused, or null when none was
   */
  private Future<Response> refuse(Exchange exchange, String code, TokenChecker.Rejection rejection, String detail,
      boolean keySent) {
    boolean routine = rejection == null ? !keySent : rejection == TokenChecker.Rejection.EXPIRED;
    log(exchange, routine ? Level.DEBUG : Level.INFO, detail);
    if (rejection == TokenChecker.Rejection.KEYS_UNAVAILABLE) {
      Response r = Response.problem(503, "auth_unavailable", "tokens cannot be checked right now; try again shortly");
      r.headers().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
      return Future.succeededFuture(r);
    }
    String clientDetail = switch (code) {
      case "invalid_token" -> rejection.description;
      case "invalid_api_key" -> "the API key is not valid";
      default -> tokens == null ? "this route needs an API key in " + apiKeyHeader
          : apiKeys == null ? "this route needs a bearer token"
          : "this route needs a bearer token or an API key in " + apiKeyHeader;
    };
    Response r = Response.problem(401, code, clientDetail);
    if (tokens != null) {
      r.headers().add(WWW_AUTHENTICATE, rejection == null ? "Bearer realm=\"" + realm + "\""
          : "Bearer realm=\"" + realm + "\", error=\"invalid_token\", error_description=\""
              + rejection.description + "\"");
    }
    if (apiKeys != null) {
      r.headers().add(WWW_AUTHENTICATE, "ApiKey realm=\"" + realm + "\", header=\"" + apiKeyHeader + "\"");
    }
    return Future.succeededFuture(r);
  }

  private void log(Exchange exchange, Level level, String reason) {
    LOG.atLevel(level)
        .addKeyValue("traceId", exchange.record().traceId())
        .addKeyValue("requestId", exchange.requestId())
        .addKeyValue("route", routeId)
        .addKeyValue("client", exchange.clientAddress())
        .log("auth: request {} on route {} refused: {}", exchange.requestId(), routeId, reason);
  }

  /**
   * The token of an {@code Authorization: Bearer <token>} header (the scheme is case-insensitive,
   * RFC 9110 §11.1), "" for a bearer header without one, or null for another scheme.
   */
  public static String bearerToken(String authorization) {
    String v = authorization.trim();
    if (v.length() < 6 || !v.regionMatches(true, 0, "Bearer", 0, 6)) {
      return null;
    }
    if (v.length() == 6) {
      return "";
    }
    if (v.charAt(6) != ' ' && v.charAt(6) != '\t') {
      return null; // "Bearerx": another scheme
    }
    return v.substring(7).trim();
  }
}
