package dev.citizen.gateway.proxy;

import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Response;
import dev.citizen.gateway.http.Messages;
import dev.citizen.gateway.upstream.Endpoint;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt: one request to one endpoint. Sends the client's body (kept in memory for a retry, or
 * streamed up with backpressure and a byte limit), waits for the response head within the
 * response timeout, and maps failures to 502/504/413/400, noting their {@link Kind} so that
 * {@link ServiceCall} can decide on a retry and on what to tell the breakers.
 *
 * <p>All methods run on the exchange's event loop. The outcome is delivered once through
 * {@link #future()}; anything later (an error after the response started) closes the client
 * connection instead, so a client never sees a complete-looking but truncated response.
 */
final class UpstreamCall {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamCall.class);

  /** How the attempt ended. */
  enum Kind {
    /** The service answered (any status). */
    RESPONSE,
    /** No connection: refused, unreachable or timed out; the service never saw the request. */
    CONNECT_FAILED,
    /** The connection closed before a response head. */
    RESET,
    /** No response head within the response timeout. */
    TIMEOUT,
    /** The client's side failed (body too large or malformed): not the service's fault. */
    CLIENT
  }

  private final Deadlines deadlines;
  private final Exchange exchange;
  private final long responseTimeoutMillis;
  private final Endpoint endpoint;
  private final Buffer body;
  private final Promise<Response> promise = Promise.promise();
  private UpstreamConnection upstream;
  /** The exchange on {@link #upstream} that is this attempt's. */
  private long exchangeId;
  private Deadlines.Deadline deadline;
  private long bodyBytes;
  private Kind kind;
  private boolean finished;

  /**
   * @param body the whole request body when it was read for a possible retry, else null: the body
   *     (if any) is streamed from the client
   */
  UpstreamCall(Deadlines deadlines, Exchange exchange, long responseTimeoutMillis, Endpoint endpoint, Buffer body) {
    this.deadlines = deadlines;
    this.exchange = exchange;
    this.responseTimeoutMillis = responseTimeoutMillis;
    this.endpoint = endpoint;
    this.body = body;
    endpoint.started();
  }

  Future<Response> future() {
    return promise.future();
  }

  /** How the attempt ended; set once {@link #future()} completed. */
  Kind kind() {
    return kind;
  }

  /** Stops the attempt (overall deadline): the upstream request is reset. */
  void cancel() {
    deadlines.cancel(deadline);
    if (upstream != null) {
      upstream.reset(exchangeId);
    }
  }

  /** The endpoint's in-flight count covers the attempt until its response body ended or failed. */
  private void finished() {
    if (!finished) {
      finished = true;
      endpoint.finished();
    }
  }

  void connectFailed(Throwable cause) {
    kind = Kind.CONNECT_FAILED;
    if (isTimeout(cause)) {
      fail(504, "upstream_timeout", "the service did not accept the connection in time");
    } else {
      fail(502, "upstream_unavailable", "the service could not be reached");
    }
  }

  void send(UpstreamConnection upstream, long exchangeId) {
    this.upstream = upstream;
    this.exchangeId = exchangeId;
    HttpServerRequest req = exchange.request();
    upstream.response().onComplete(ar -> {
      deadlines.cancel(deadline);
      if (ar.succeeded()) {
        onResponse(ar.result());
      } else if (isTimeout(ar.cause())) {
        kind = kind == null ? Kind.TIMEOUT : kind;
        fail(504, "upstream_timeout", "the service did not answer in time");
      } else {
        kind = kind == null ? Kind.RESET : kind;
        LOG.atDebug().addKeyValue("traceId", exchange.record().traceId())
            .addKeyValue("requestId", exchange.requestId())
            .log("request {} upstream: {}", exchange.requestId(), ar.cause().toString());
        fail(502, "upstream_failed", "the service closed the connection before answering");
      }
    });
    // The client went away: stop the upstream work too.
    // The client went away: not the service's fault, so it must not count as a failure (a load
    // generator stopping with 64 requests in flight once ejected a healthy endpoint).
    req.response().closeHandler(v -> {
      kind = kind == null ? Kind.CLIENT : kind;
      upstream.reset(exchangeId);
    });
    if (body != null && body.length() > 0) {
      upstream.headers().set(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
      upstream.end(body);
      startResponseTimeout();
      return;
    }
    if (body != null || !Messages.hasRequestBody(req)) {
      upstream.end();
      startResponseTimeout();
      return;
    }
    String contentLength = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (contentLength != null) {
      upstream.headers().set(HttpHeaders.CONTENT_LENGTH, contentLength);
    } // else the connection sends the body chunked
    Buffer start = exchange.body(); // the start of the body a filter (the WAF) read already, or null
    if (start != null) {
      bodyBytes = start.length();
      upstream.write(start);
    } else if (req.version() != HttpVersion.HTTP_1_0
        && "100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
      // The route and its limits accepted the request: let the client send its body.
      req.response().writeContinue();
    }
    pumpBody(req, upstream);
  }

  /**
   * The response timeout runs from the end of the request, so a slow upload is not cut off by
   * it; a service that answers before the upload ends stops the clock as well.
   */
  private void startResponseTimeout() {
    if (promise.future().isComplete()) {
      return;
    }
    deadline = deadlines.arm(responseTimeoutMillis, () -> {
      kind = kind == null ? Kind.TIMEOUT : kind;
      if (fail(504, "upstream_timeout", "the service did not answer in time")) {
        upstream.reset(exchangeId);
      }
    });
  }

  /** Client body to upstream with backpressure, counting bytes against the route's limit. */
  private void pumpBody(HttpServerRequest req, UpstreamConnection upstream) {
    long max = exchange.route().maxBodyBytes();
    req.handler(buf -> {
      bodyBytes += buf.length();
      if (bodyBytes > max) {
        req.handler(null);
        // 413 first: the reset fails the upstream response at once, which would otherwise
        // complete this call as a 502 "upstream_failed" before the 413 could.
        answerInstead(413, "body_too_large", "the request body exceeds " + max + " bytes");
        upstream.reset(exchangeId);
        return;
      }
      upstream.write(buf);
      if (upstream.writeQueueFull()) {
        req.pause();
        upstream.drainHandler(v -> req.resume());
      }
    });
    req.endHandler(v -> {
      upstream.end();
      startResponseTimeout();
    });
    req.exceptionHandler(e -> upstream.reset(exchangeId));
    // The request guard found the client's chunked framing broken after the head went through.
    exchange.onBodyFailure(detail -> {
      req.handler(null);
      answerInstead(400, "bad_request", detail);
      upstream.reset(exchangeId);
    });
    req.resume();
  }

  /**
   * Answers the client with a problem while its body is unread, which leaves the connection unable
   * to carry another request; once a response has started, closing it is the only honest answer.
   */
  private void answerInstead(int status, String code, String detail) {
    deadlines.cancel(deadline);
    kind = kind == null ? Kind.CLIENT : kind;
    Response r = Response.problem(status, code, detail);
    r.headers().set(HttpHeaders.CONNECTION, "close");
    if (!promise.tryComplete(r)) {
      exchange.request().connection().close();
    }
  }

  private void onResponse(UpstreamResponse response) {
    response.pause();
    kind = kind == null ? Kind.RESPONSE : kind;
    response.end().onComplete(ar -> finished());
    ForwardHeaders.removeHopByHop(response.headers());
    Response r = Response.streamed(response.statusCode(), response.headers(), response, () -> upstream.reset(exchangeId));
    if (!promise.tryComplete(r)) {
      response.resume();
    }
  }

  private boolean fail(int status, String code, String detail) {
    finished();
    return promise.tryComplete(Response.problem(status, code, detail));
  }

  static boolean isTimeout(Throwable t) {
    return t instanceof ConnectTimeoutException || t instanceof TimeoutException
        || (t != null && t.getClass().getSimpleName().contains("Timeout"));
  }
}
