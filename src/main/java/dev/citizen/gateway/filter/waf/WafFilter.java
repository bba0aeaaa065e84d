package dev.citizen.gateway.filter.waf;

import dev.citizen.gateway.config.RouteWafConfig;
import dev.citizen.gateway.config.WafConfig;
import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Filter;
import dev.citizen.gateway.filter.Next;
import dev.citizen.gateway.filter.Phase;
import dev.citizen.gateway.filter.Response;
import dev.citizen.gateway.http.Messages;
import dev.citizen.gateway.waf.engine.WafOutcome;
import dev.citizen.gateway.waf.engine.WafRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * The web application firewall on a route (SECURITY phase, after authentication and rate
 * limits, so that the costliest check runs last and only for callers who may call at all).
 *
 * <p>Reads the body first when there is one (CRS's phase 2 inspects it): up to {@code
 * waf.bodyLimit} it is read whole and handed to the proxy step ({@link Exchange#body}); a larger
 * one is refused with 413 ({@code reject}) or inspected by its start while the rest streams on
 * uninspected ({@code partial}). Then the rule set evaluates the request. In {@code block} mode a
 * disruptive outcome is answered 403 {@code waf_blocked}, naming the request id as the incident;
 * in {@code detect} mode the request goes on. Either way a request that matched any rule gets one
 * log line ({@link WafLog}).
 *
 * <p>Evaluation is CPU work on the request path. A request without a body or with a tiny one (up
 * to {@link #INLINE_BODY_LIMIT}) is evaluated on the event loop: under CRS at paranoia level 1
 * that takes some 30-100 µs, and a hop to a worker thread would add a good part of it. A larger
 * body is evaluated on a worker thread: every JSON or form value runs through every rule, about
 * 0.1 ms per KiB of JSON, so a 16 KiB body would stall every other connection of its event loop
 * for a millisecond or more.
 *
 * <p>The worker threads are the gateway's WAF pool ({@link WafWorkers}), one per core: evaluation
 * is CPU work that never waits, so more threads than cores only add context switches, and each
 * transaction in progress holds its working state (~100 KiB of a 2 KiB JSON body), which under
 * load the young collection copies. Requests beyond the pool wait in its queue as their bytes.
 */
public final class WafFilter implements Filter {
  /** Bodies up to this are evaluated on the event loop; larger ones on a worker thread. */
  static final int INLINE_BODY_LIMIT = 512;

  private final Inspector inspector;
  private final WorkerExecutor workers;
  private final boolean blocking;
  private final long bodyLimit;
  private final boolean partial;

  /** @param workers where bodies over {@link #INLINE_BODY_LIMIT} are evaluated; null: the caller's thread */
  public WafFilter(Inspector inspector, WorkerExecutor workers, boolean blocking, long bodyLimit,
      WafConfig.BodyLimitAction action) {
    this.inspector = inspector;
    this.workers = workers;
    this.blocking = blocking;
    this.bodyLimit = bodyLimit;
    this.partial = action == WafConfig.BodyLimitAction.PARTIAL;
  }

  /** The route's filter, from the rule sets compiled for the config; none when the mode is off. */
  public static java.util.Optional<Filter> forRoute(RouteWafConfig route, WafConfig gateway, WafRuleSets ruleSets,
      WafWorkers workers) {
    if (route == null || route.mode() == RouteWafConfig.Mode.OFF) {
      return java.util.Optional.empty();
    }
    Inspector inspector = ruleSets.get(WafSettings.of(gateway, route));
    return java.util.Optional.of(new WafFilter(inspector, workers.executor(), route.mode() == RouteWafConfig.Mode.BLOCK,
        gateway.bodyLimit().bytes(), gateway.bodyLimitAction()));
  }

  @Override
  public Phase phase() {
    return Phase.SECURITY;
  }

  @Override
  public Future<Response> handle(Exchange exchange, Next next) {
    HttpServerRequest req = exchange.request();
    if (!Messages.hasRequestBody(req)) {
      return inspect(exchange, next, null, false);
    }
    String cl = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (!partial && cl != null && parseLength(cl) > bodyLimit) {
      return Future.succeededFuture(closing(Response.problem(413, "body_too_large",
          "the request body exceeds the " + bodyLimit + " bytes the firewall inspects")));
    }
    return BodyCollector.read(exchange, bodyLimit, exchange.route().maxBodyBytes()).transform(ar -> {
      if (ar.failed()) {
        BodyCollector.BodyException e = (BodyCollector.BodyException) ar.cause();
        return Future.succeededFuture(closing(Response.problem(e.status, e.code, e.getMessage())));
      }
      BodyCollector.Collected c = ar.result();
      if (!c.complete() && !partial) {
        return Future.succeededFuture(closing(Response.problem(413, "body_too_large",
            "the request body exceeds the " + bodyLimit + " bytes the firewall inspects")));
      }
      exchange.body(c.bytes(), c.complete());
      return inspect(exchange, next, c.bytes(), !c.complete());
    });
  }

  private Future<Response> inspect(Exchange exchange, Next next, Buffer body, boolean truncated) {
    WafRequest request = request(exchange, body, truncated, bodyLimit);
    if (body == null || body.length() <= INLINE_BODY_LIMIT || workers == null || Vertx.currentContext() == null) {
      return decide(exchange, next, inspector.inspect(request));
    }
    Future<WafOutcome> outcome;
    try {
      outcome = workers.executeBlocking(() -> inspector.inspect(request), false);
    } catch (RejectedExecutionException closed) {
      // The gateway is closing (WafWorkers.close) while this request was still being read.
      return decide(exchange, next, inspector.inspect(request));
    }
    return outcome.compose(o -> decide(exchange, next, o));
  }

  private Future<Response> decide(Exchange exchange, Next next, WafOutcome outcome) {
    boolean blocked = blocking && outcome.disrupted();
    if (!outcome.matches().isEmpty() || blocked) {
      WafLog.log(exchange, blocking, blocked, outcome);
    }
    if (blocked) {
      Response r = Response.problem(403, "waf_blocked", "the request was refused by the web application "
          + "firewall (incident " + exchange.requestId() + ")");
      return Future.succeededFuture(exchange.body() != null && !exchange.bodyComplete() ? closing(r) : r);
    }
    return next.handle(exchange);
  }

  /** The request as the engine sees it: the raw target, the headers as received, the body read. */
  static WafRequest request(Exchange exchange, Buffer body, boolean truncated, long limit) {
    HttpServerRequest req = exchange.request();
    List<Map.Entry<String, String>> headers = new ArrayList<>(req.headers().size());
    for (Map.Entry<String, String> h : req.headers()) {
      headers.add(Map.entry(h.getKey(), h.getValue()));
    }
    byte[] bytes = null;
    if (body != null) {
      bytes = body.length() > limit ? body.getBytes(0, (int) limit) : body.getBytes();
    }
    SocketAddress remote = req.remoteAddress();
    SocketAddress local = req.localAddress();
    return new WafRequest(req.method().name(), req.uri(), protocol(req.version()), headers, bytes,
        truncated, exchange.clientAddress(), remote == null ? 0 : remote.port(), local == null ? 0 : local.port());
  }

  private static String protocol(HttpVersion v) {
    return switch (v) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_2 -> "HTTP/2.0";
      default -> "HTTP/1.1";
    };
  }

  /** A refusal with the body (partly) unread: the connection cannot carry another request. */
  private static Response closing(Response r) {
    r.headers().set(HttpHeaders.CONNECTION, "close");
    return r;
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // the request guard refuses these before
    }
  }
}
