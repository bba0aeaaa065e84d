package dev.citizen.gateway.admin;

import dev.citizen.gateway.client.Bans;
import dev.citizen.gateway.config.AdminConfig;
import dev.citizen.gateway.http.Problem;
import dev.citizen.gateway.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import dev.citizen.gateway.upstream.Service;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener, apart from public traffic and on loopback by default: liveness, readiness
 * and the admin API; metrics join it later.
 *
 * <ul>
 *   <li>{@code GET /health/live}: 200 while the process runs its event loops;
 *   <li>{@code GET /health/ready}: 200 once the config is loaded and the listeners are bound,
 *       503 before that and while draining; with {@code ?services=true} also 503 while some
 *       service has no endpoint that can take traffic, naming those services;
 *   <li>{@code GET /admin/services}: the services' run-time state ({@link ServiceStatus});
 *   <li>{@code GET /admin/bans}, {@code DELETE /admin/bans[/{address}]}: auto-ban's bans ({@link BansApi}).
 * </ul>
 *
 * <p>Everything but the two health checks (which orchestrators poll without credentials) needs
 * {@code Authorization: Bearer <admin token>} ({@link AdminToken}); without it the answer is 401
 * with {@code WWW-Authenticate: Bearer realm="admin"}.
 */
public final class AdminServer {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  static final String REALM = "admin";
  /** Open without a token. Exact paths, so that no spelling of another path passes as a health check. */
  private static final Set<String> OPEN = Set.of("/health/live", "/health/ready");

  private final Vertx vertx;
  private final AdminConfig config;
  private final AdminToken token;
  private final BooleanSupplier ready;
  private final Supplier<Map<String, Service>> services;
  private final Map<String, Handler<HttpServerRequest>> extra;
  private final BansApi bans;
  private HttpServer server;

  /**
   * @param services the services of the config now serving (read per request, so a reload shows)
   */
  public AdminServer(Vertx vertx, AdminConfig config, BooleanSupplier ready, Supplier<Map<String, Service>> services) {
    this(vertx, config, new AdminToken(config::token, System.getenv(AdminToken.ENV)), ready, services, Map.of());
  }

  /**
   * @param token the admin token (from the config now serving, or the environment)
   * @param extra further endpoints by exact path, e.g. {@code /metrics} from the observability setup
   */
  public AdminServer(Vertx vertx, AdminConfig config, AdminToken token, BooleanSupplier ready,
      Supplier<Map<String, Service>> services, Map<String, Handler<HttpServerRequest>> extra) {
    this(vertx, config, token, ready, services, extra, null);
  }

  /** @param bans the gateway's ban list, for {@code /admin/bans}; null: no such endpoint */
  public AdminServer(Vertx vertx, AdminConfig config, AdminToken token, BooleanSupplier ready,
      Supplier<Map<String, Service>> services, Map<String, Handler<HttpServerRequest>> extra, Bans bans) {
    this.vertx = vertx;
    this.config = config;
    this.token = token;
    this.ready = ready;
    this.services = services;
    this.extra = extra;
    this.bans = bans == null ? null : new BansApi(bans);
  }

  /** Listens; fails when {@value AdminToken#ENV} holds an unusable token (too short, say). */
  public Future<HttpServer> start() {
    String envProblem = token.envProblem();
    if (envProblem != null) {
      return Future.failedFuture(new IllegalArgumentException(envProblem));
    }
    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
        .requestHandler(this::handle);
    return server.listen().onSuccess(s -> {
      if (token.locked()) {
        LOG.warn("the admin API is locked: no admin token is set, so every admin endpoint but /health/live "
            + "and /health/ready answers 401. Set admin.token in the config (e.g. token: ${ADMIN_TOKEN}) or "
            + "the environment variable {} to a secret of at least {} characters (openssl rand -hex 32)",
            AdminToken.ENV, AdminToken.MIN_LENGTH);
      }
    });
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    if (!OPEN.contains(req.path()) && !token.accepts(req.getHeader("Authorization"))) {
      unauthorized(req);
      return;
    }
    Handler<HttpServerRequest> more = extra.get(req.path());
    if (more != null) {
      more.handle(req);
      return;
    }
    var out = req.response().putHeader("Cache-Control", "no-store");
    if (req.path().startsWith(VersionsApi.PREFIX)) { // weights, promote, rollback of one service
      new VersionsApi(services).handle(req);
      return;
    }
    if (bans != null && BansApi.handles(req.path())) {
      bans.handle(req);
      return;
    }
    boolean read = req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD;
    switch (req.path()) {
      case "/health/live" -> {
        if (read) {
          out.putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
          return;
        }
      }
      case "/health/ready" -> {
        if (read) {
          boolean ok = ready.getAsBoolean();
          String body = ok ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}";
          if (ok && "true".equals(req.getParam("services"))) {
            List<String> down = ServiceStatus.unavailable(services.get(), System.nanoTime());
            if (!down.isEmpty()) {
              ok = false;
              body = ServiceStatus.down(down).encode();
            }
          }
          out.setStatusCode(ok ? 200 : 503).putHeader("Content-Type", "application/json").end(body);
          return;
        }
      }
      case "/admin/services" -> {
        if (read) {
          out.putHeader("Content-Type", "application/json")
              .end(ServiceStatus.render(services.get(), System.nanoTime()).encode());
          return;
        }
      }
      default -> {
        problem(req, new Problem(404, "not_found", "no such admin endpoint"));
        return;
      }
    }
    out.putHeader("Allow", "GET, HEAD");
    problem(req, new Problem(405, "method_not_allowed", null));
  }

  private void unauthorized(HttpServerRequest req) {
    boolean sent = req.getHeader("Authorization") != null;
    String detail = token.locked()
        ? "the admin API is locked: no admin token is set (admin.token or " + AdminToken.ENV + ")"
        : "this admin endpoint needs Authorization: Bearer <admin token>";
    req.response().putHeader("Cache-Control", "no-store").putHeader("WWW-Authenticate", sent && !token.locked()
        ? "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"" : "Bearer realm=\"" + REALM + "\"");
    problem(req, new Problem(401, "unauthorized", detail));
  }

  private static void problem(HttpServerRequest req, Problem p) {
    String id = RequestIds.newId();
    req.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.CONTENT_TYPE)
        .putHeader("X-Request-Id", id).end(p.toJson(id));
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
