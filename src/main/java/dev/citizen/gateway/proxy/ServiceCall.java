package dev.citizen.gateway.proxy;

import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Response;
import dev.citizen.gateway.observe.Attempt;
import dev.citizen.gateway.upstream.CallPolicy;
import dev.citizen.gateway.upstream.Endpoint;
import dev.citizen.gateway.upstream.Service;
import dev.citizen.gateway.upstream.Version;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * One request to a service, over one or more attempts ({@link UpstreamCall}): asks the circuit
 * breaker, picks a version and an endpoint, and after each attempt reports the outcome to the
 * breaker, outlier detection and rollback window, then answers or retries on another endpoint
 * (of another version when one can take it: a failed canary attempt is retried on stable)
 * after a jittered backoff, within the route's attempts, the overall deadline and the service's
 * retry budget.
 *
 * <p>A body is sent again only if it was read whole first: that is done when the method may be
 * retried and the body has a Content-Length within {@code retries.maxBufferedBody}, or by a filter
 * that inspected it ({@link Exchange#body()}). Any other body streams (after the start a filter
 * read, if any), and then only a connect failure (the body still unread) is retried.
 *
 * <p>Runs on the exchange's event loop.
 */
final class ServiceCall {
  private static final Buffer NO_BODY = Buffer.buffer(0);
  private static final long DRAIN_LIMIT = 64 * 1024;

  private final ProxyCall proxy;
  private final Exchange exchange;
  private final Service service;
  private final CallPolicy policy;
  private final Promise<Response> promise = Promise.promise();
  private final long startNanos = System.nanoTime();
  /** The whole body when it can be sent again; null when it streams. */
  private Buffer body;
  private int tries;
  private Endpoint last;
  /** The version the last failed attempt went to: a retry goes to another one when it can. */
  private Version lastVersion;
  private UpstreamCall current;
  private Deadlines.Deadline overall;

  ServiceCall(ProxyCall proxy, Exchange exchange) {
    this.proxy = proxy;
    this.exchange = exchange;
    this.service = exchange.route().service();
    this.policy = exchange.route().callPolicy();
  }

  Future<Response> start() {
    service.retryBudget().request(startNanos);
    if (policy.totalMillis() > 0) {
      overall = proxy.deadlines().arm(policy.totalMillis(), () -> {
        if (promise.tryComplete(Response.problem(504, "upstream_timeout",
            "the service did not answer within the route's deadline"))) {
          proxy.observers().event(exchange.record(), "deadline");
          if (current != null) {
            current.cancel();
          }
        }
      });
    }
    HttpServerRequest req = exchange.request();
    Buffer read = exchange.body();
    long length = read != null ? -1 : replayableLength(req);
    if (read != null && exchange.bodyComplete()) {
      body = read; // read whole by a filter (the WAF): sent from memory, so it can be retried too
      attempt();
    } else if (length == 0) {
      body = NO_BODY;
      attempt();
    } else if (length > 0) {
      BodyReader.read(exchange, length).onComplete(ar -> {
        if (ar.succeeded()) {
          body = ar.result();
          attempt();
        } else {
          Response r = Response.problem(400, "bad_request", ar.cause().getMessage());
          r.headers().set(HttpHeaders.CONNECTION, "close");
          finish(r);
        }
      });
    } else {
      attempt();
    }
    return promise.future();
  }

  /** 0 for no body, the length of a body worth reading whole first, or -1 to stream it. */
  private long replayableLength(HttpServerRequest req) {
    if (!dev.citizen.gateway.http.Messages.hasRequestBody(req)) {
      return 0;
    }
    if (!policy.mayRetry(req.method())) {
      return -1;
    }
    String cl = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (cl == null) {
      return -1;
    }
    long n = Long.parseLong(cl.trim()); // the request guard checked its syntax
    return n > 0 && n <= policy.maxBufferedBody() && n <= exchange.route().maxBodyBytes() ? n : n == 0 ? 0 : -1;
  }

  private void attempt() {
    if (promise.future().isComplete()) {
      return; // the deadline answered during a backoff
    }
    tries++;
    CircuitBreaker cb = service.circuitBreaker();
    if (cb != null && !cb.tryAcquirePermission()) {
      proxy.observers().event(exchange.record(), "circuit_open");
      Response r = Response.problem(503, "circuit_open", "the service is failing; calls to it are paused");
      r.headers().set(HttpHeaders.RETRY_AFTER, Long.toString(
          Math.max(1, service.config().circuitBreaker().openFor().toSeconds())));
      finish(r);
      return;
    }
    long now = System.nanoTime();
    HttpServerRequest req = exchange.request();
    Version version = service.version(req, now, lastVersion);
    Endpoint endpoint = version.loadBalancer().pick(req, last, now);
    if (endpoint == null) {
      if (cb != null) {
        cb.releasePermission();
      }
      proxy.observers().event(exchange.record(), "no_endpoint");
      Response r = Response.problem(503, "no_endpoint", "no endpoint of the service can take traffic");
      r.headers().set(HttpHeaders.RETRY_AFTER, "1");
      finish(r);
      return;
    }
    // A service with plain endpoints has one version, "default", which the logs need not say.
    String versionName = service.config().versions().isEmpty() ? null : version.name();
    Attempt attempt = new Attempt(tries, service.name(), versionName, endpoint.url(), now,
        exchange.record().traceparent());
    attempt.target(exchange.upstreamPath()); // for the client span's url.full (no query)
    attempt.peer(endpoint.host(), endpoint.port());
    proxy.observers().attemptStarted(exchange.record(), attempt);
    UpstreamCall call = new UpstreamCall(proxy.deadlines(), exchange, policy.responseMillis(), endpoint, body);
    current = call;
    proxy.upstreams().acquire(endpoint, service.tls(), policy.connectMillis()).onComplete(ar -> {
      if (ar.failed()) {
        call.connectFailed(ar.cause());
        return;
      }
      UpstreamConnection upstream = ar.result();
      long id = upstream.begin(req.method(), ProxyCall.uri(exchange));
      // The endpoint's authority is ready-made for the header: IPv6 in brackets, default port left out.
      upstream.headers().set(HttpHeaders.HOST, exchange.route().preserveHost() && req.authority() != null
          ? req.authority().toString() : endpoint.authority());
      ProxyCall.addUpstreamHeaders(req, exchange, upstream.headers(), ProxyCall.SET_BY_PROXY, proxy.via());
      upstream.headers().set("traceparent", attempt.traceparent());
      call.send(upstream, id);
    });
    call.future().onComplete(ar -> outcome(call, attempt, version, endpoint, ar.result()));
  }

  private void outcome(UpstreamCall call, Attempt attempt, Version version, Endpoint endpoint, Response r) {
    long now = System.nanoTime();
    long nanos = now - attempt.startNanos();
    UpstreamCall.Kind kind = call.kind();
    CircuitBreaker cb = service.circuitBreaker();
    boolean failed = kind != UpstreamCall.Kind.CLIENT && (kind != UpstreamCall.Kind.RESPONSE || r.status() >= 500);
    if (kind == UpstreamCall.Kind.CLIENT) {
      if (cb != null) {
        cb.releasePermission();
      }
    } else {
      service.record(version, endpoint, failed, nanos);
    }
    boolean late = promise.future().isComplete(); // the deadline answered already
    boolean retry = !late && shouldRetry(kind, r.status());
    attempt.end(late ? Attempt.Outcome.CANCELLED : outcomeOf(kind), r.status(), failed, now);
    attempt.willRetry(retry);
    proxy.observers().attemptEnded(exchange.record(), attempt);
    if (late) {
      r.abort();
      return;
    }
    if (retry) {
      proxy.observers().event(exchange.record(), "retry");
      discard(r);
      last = endpoint;
      lastVersion = version;
      long pause = policy.backoffMillis(tries);
      if (pause == 0) {
        attempt();
      } else {
        proxy.vertx().setTimer(pause, t -> attempt());
      }
      return;
    }
    finish(r);
  }

  private static Attempt.Outcome outcomeOf(UpstreamCall.Kind kind) {
    return switch (kind) {
      case RESPONSE -> Attempt.Outcome.RESPONSE;
      case CONNECT_FAILED -> Attempt.Outcome.CONNECT_FAILED;
      case RESET -> Attempt.Outcome.RESET;
      case TIMEOUT -> Attempt.Outcome.TIMEOUT;
      case CLIENT -> Attempt.Outcome.CLIENT;
    };
  }

  private boolean shouldRetry(UpstreamCall.Kind kind, int status) {
    if (tries >= policy.attempts() || kind == UpstreamCall.Kind.CLIENT) {
      return false;
    }
    CallPolicy.Failure failure = switch (kind) {
      case CONNECT_FAILED -> CallPolicy.Failure.CONNECT;
      case RESET -> CallPolicy.Failure.RESET;
      default -> CallPolicy.Failure.STATUS; // a timeout counts as a 504
    };
    if (failure != CallPolicy.Failure.CONNECT && body == null) {
      return false; // the streamed body is gone
    }
    if (!policy.retryable(exchange.request().method(), failure, status)) {
      return false;
    }
    long now = System.nanoTime();
    if (policy.totalMillis() > 0 && (now - startNanos) / 1_000_000 >= policy.totalMillis()) {
      return false;
    }
    if (!service.retryBudget().tryRetry(now)) {
      proxy.observers().event(exchange.record(), "retry_budget_exhausted");
      return false;
    }
    return true;
  }

  /** Throws a response away; a small body is read to the end so its connection can be reused. */
  private static void discard(Response r) {
    if (r.stream() == null) {
      return;
    }
    String cl = r.headers().get(HttpHeaders.CONTENT_LENGTH);
    long length = -1;
    try {
      length = cl == null ? -1 : Long.parseLong(cl);
    } catch (NumberFormatException e) {
      // unknown length: reset
    }
    if (length >= 0 && length <= DRAIN_LIMIT) {
      r.stream().handler(b -> { }).exceptionHandler(e -> { }).resume();
    } else {
      r.abort();
    }
  }

  private void finish(Response r) {
    proxy.deadlines().cancel(overall);
    if (!promise.tryComplete(r)) {
      r.abort();
    }
  }
}
