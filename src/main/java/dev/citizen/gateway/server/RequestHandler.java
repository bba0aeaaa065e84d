package dev.citizen.gateway.server;

import dev.citizen.gateway.config.LimitsConfig;
import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Filter;
import dev.citizen.gateway.filter.Next;
import dev.citizen.gateway.filter.Response;
import dev.citizen.gateway.filter.cors.CorsFilter;
import dev.citizen.gateway.http.Messages;
import dev.citizen.gateway.http.RequestIds;
import dev.citizen.gateway.proxy.ProxyCall;
import dev.citizen.gateway.proxy.WebSocketTunnel;
import dev.citizen.gateway.route.PathNormalizer;
import dev.citizen.gateway.observe.Observers;
import dev.citizen.gateway.observe.RequestRecord;
import dev.citizen.gateway.route.Route;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path for one event loop: request id, client address and ban check, path
 * normalisation, routing, early limits,
 * then the route's filter chain ending in the proxy call, then the response writer.
 */
final class RequestHandler implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

  private final Supplier<Snapshot> snapshot;
  private final ProxyCall proxy;
  private final WebSocketTunnel tunnel;
  /** True once the gateway drains: every response then closes its connection. */
  private final BooleanSupplier draining;
  private final Observers observers;

  RequestHandler(Supplier<Snapshot> snapshot, ProxyCall proxy, WebSocketTunnel tunnel, BooleanSupplier draining,
      Observers observers) {
    this.snapshot = snapshot;
    this.proxy = proxy;
    this.tunnel = tunnel;
    this.draining = draining;
    this.observers = observers;
  }

  @Override
  public void handle(HttpServerRequest req) {
    long start = System.nanoTime();
    String requestId = RequestIds.acceptOrNew(req.getHeader(ResponseWriter.X_REQUEST_ID));
    Http1RequestGuard guard = req.version() == HttpVersion.HTTP_2 ? null
        : Http1RequestGuard.of(GuardInstaller.channel(req.connection()));
    if (guard != null && guard.isClosing()) {
      // Pipelined behind an answer that announced Connection: close: never run it.
      req.connection().close();
      return;
    }
    RequestRecord record = new RequestRecord(req, requestId, start);
    observers.requestStarted(record);
    Snapshot current = snapshot.get();
    var peer = req.remoteAddress();
    String peerAddress = peer == null ? null : peer.hostAddress();
    boolean viaTrustedProxy = current.clientAddresses().isTrusted(peerAddress);
    String client = viaTrustedProxy ? current.clientAddresses().forwardedClient(peerAddress, req.headers())
        : peerAddress;
    record.client(peerAddress, client, viaTrustedProxy);
    if (current.edge().bans().isBanned(client)) {
      // Before routing: a banned client gets nothing, not even a 404 that maps the routes.
      reply(req, record, guard, Response.problem(403, "client_banned",
          "this address is blocked for a while after repeated failed authentications"));
      return;
    }
    if (!parsableAuthority(req)) {
      reply(req, record, guard, Response.problem(400, "invalid_host", "the Host header is not a valid host"));
      return;
    }
    if (proxy.via().loopedBack(req.headers())) {
      // A service endpoint leads back here: without this, each round would hold a connection and
      // send the request round again until the gateway ran out of them.
      reply(req, record, guard, Response.problem(508, "loop_detected",
          "the request came back to this gateway: a service endpoint leads back to it"));
      return;
    }
    if (guard == null && req.version() == HttpVersion.HTTP_2) {
      Response refused = http2Limits(req, current.config().server().limits());
      if (refused != null) {
        reply(req, record, null, refused);
        return;
      }
    }
    String path;
    try {
      path = PathNormalizer.normalize(req.path());
    } catch (PathNormalizer.InvalidPathException e) {
      reply(req, record, guard, Response.problem(400, "invalid_path", e.getMessage()));
      return;
    }
    record.path(path);
    Route route = current.router().match(req, path);
    if (route == null) {
      noRoute(req, record, guard, current, path);
      return;
    }
    record.route(route.id(), route.service() == null ? null : route.service().name());
    String contentLength = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (contentLength != null && parseLength(contentLength) > route.maxBodyBytes()) {
      Response tooLarge = Response.problem(413, "body_too_large",
          "the request body exceeds " + route.maxBodyBytes() + " bytes");
      // Answered before the filters run: the route's CORS filter still labels it, else a browser
      // shows the page a CORS failure instead of the 413.
      for (Filter f : route.filters()) {
        if (f instanceof CorsFilter cors) {
          tooLarge = cors.decorateEarlyAnswer(req, tooLarge);
        }
      }
      reply(req, record, guard, tooLarge);
      return;
    }
    Exchange exchange = new Exchange(req, route, record, route.upstreamPath(path), req.query(), client);
    if (Messages.hasRequestBody(req)) {
      req.pause(); // until the proxy step pipes it upstream
      if (guard != null) {
        guard.onBodyError(exchange::bodyFailed);
      }
    }
    if (req.version() == HttpVersion.HTTP_1_1 && isWebSocketUpgrade(req.getHeader(HttpHeaders.UPGRADE))) {
      if (guard != null) {
        guard.markClosing(); // the connection becomes a tunnel or closes: no request may follow
      }
      // Through the route's filters like any request: an upgrade must not skip auth or limits.
      run(route.filters(), 0, exchange, tunnel::handle).onComplete(ar -> finish(req, record, guard, ar));
      return;
    }
    run(route.filters(), 0, exchange, proxy).onComplete(ar -> finish(req, record, guard, ar));
  }

  /** Writes the outcome of the chain; null means the connection became a tunnel, nothing to write. */
  private void finish(HttpServerRequest req, RequestRecord record, Http1RequestGuard guard,
      AsyncResult<Response> ar) {
    if (ar.failed()) {
      LOG.atError().setCause(ar.cause()).addKeyValue("traceId", record.traceId())
          .addKeyValue("requestId", record.requestId())
          .log("request {} (trace {}) failed in the gateway", record.requestId(), record.traceId());
      reply(req, record, guard, Response.problem(500, "internal_error", null));
    } else if (ar.result() != null) {
      reply(req, record, guard, ar.result());
    } else {
      // A WebSocket tunnel: the request ends, for observers, with the 101 that opened it.
      record.end(101, null, req.bytesRead(), req.response().bytesWritten(), System.nanoTime());
      observers.requestEnded(record);
    }
  }

  /** Runs filters[i..] then {@code last}: the proxy call, or the tunnel for an upgrade. */
  private Future<Response> run(List<Filter> filters, int i, Exchange exchange, Next last) {
    if (i == filters.size()) {
      return last.handle(exchange);
    }
    Next next = ex -> run(filters, i + 1, ex, last);
    try {
      return filters.get(i).handle(exchange, next);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void noRoute(HttpServerRequest req, RequestRecord record, Http1RequestGuard guard, Snapshot current,
      String path) {
    Set<String> allowed = current.router().allowedMethods(req, path);
    if (allowed.isEmpty()) {
      reply(req, record, guard, Response.problem(404, "no_route", "no route matches this request"));
    } else {
      Response r = Response.problem(405, "method_not_allowed", "this route does not allow " + req.method());
      r.headers().set(HttpHeaders.ALLOW, String.join(", ", allowed));
      reply(req, record, guard, r);
    }
  }

  /**
   * Writes the response, then tells the guard the connection owes one response less and the
   * observers that the request ended.
   */
  private void reply(HttpServerRequest req, RequestRecord record, Http1RequestGuard guard, Response r) {
    int status = r.status();
    String problem = r.problem() == null ? null : r.problem().code();
    // Every answer, proxied or the gateway's own, from here: the one place all of them pass.
    snapshot.get().securityHeaders(record.routeId()).apply(r.headers(), req.isSSL());
    Future<Void> written = ResponseWriter.write(req, record, r, guard, draining.getAsBoolean());
    written.onComplete(v -> {
      if (guard != null) {
        guard.responseCompleted();
      }
      record.end(status, problem, req.bytesRead(), req.response().bytesWritten(), System.nanoTime());
      observers.requestEnded(record);
    });
  }

  /**
   * Only WebSocket upgrades are tunnelled; other upgrades (h2c, TLS) are ignored as RFC 9110 §7.8
   * allows, and the request is proxied as plain HTTP/1.1 with the Upgrade header dropped.
   */
  static boolean isWebSocketUpgrade(String upgrade) {
    return upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket");
  }

  /**
   * The request guard's size limits for HTTP/2, which it never sees: the target against
   * {@code maxUriBytes} (414) and the head, counted as its HTTP/1.1 form would be (request line,
   * {@code name: value} lines, CRLFs), against {@code maxHeaderBytes} (431). So one limit means the
   * same for both protocols. Null when within them.
   */
  static Response http2Limits(HttpServerRequest req, LimitsConfig limits) {
    String uri = req.uri();
    if (uri.length() > limits.maxUriBytes().bytes()) {
      return Response.problem(414, "uri_too_long", "request-target longer than " + limits.maxUriBytes().bytes()
          + " bytes");
    }
    // "METHOD SP target SP HTTP/1.1 CRLF" ... "CRLF"
    long size = req.method().name().length() + 1 + uri.length() + 11 + 2;
    for (Map.Entry<String, String> h : req.headers()) {
      size += h.getKey().length() + 2 + h.getValue().length() + 2;
    }
    if (req.authority() != null && !req.headers().contains(HttpHeaders.HOST)) {
      size += 6 + req.authority().toString().length() + 2; // the Host line :authority stands for
    }
    if (size > limits.maxHeaderBytes().bytes()) {
      return Response.problem(431, "header_too_large", "request head longer than " + limits.maxHeaderBytes().bytes()
          + " bytes");
    }
    return null;
  }

  /**
   * Whether Vert.x can parse the Host (or :authority). Its parser throws on some values, such as a
   * percent-encoded byte at the end ({@code Host: localhost%00}, from the CRS regression suite);
   * uncaught, that left the request unanswered and the connection open until the idle timeout.
   */
  static boolean parsableAuthority(HttpServerRequest req) {
    try {
      req.authority();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Content-Length as a number; the request guard has already rejected malformed values. */
  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
