package dev.citizen.gateway.filter.waf;

import dev.citizen.gateway.filter.Exchange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Reads a request body for inspection: whole when it fits the limit, else its start, with the
 * request then paused so that the proxy step streams the rest after it ({@link Exchange#body}).
 */
final class BodyCollector {
  /** What was read. {@code bytes} may hold more than the limit: the last chunk is kept whole. */
  record Collected(Buffer bytes, boolean complete) {}

  /** Why reading stopped early, with the status the client gets. */
  static final class BodyException extends RuntimeException {
    final int status;
    final String code;

    BodyException(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  private BodyCollector() {}

  /**
   * Reads until the end of the body, or until more than {@code limit} bytes came (then pauses and
   * completes with {@code complete = false}); fails with {@link BodyException} when the body breaks
   * or exceeds {@code maxBytes}, the route's own limit.
   */
  static Future<Collected> read(Exchange exchange, long limit, long maxBytes) {
    HttpServerRequest req = exchange.request();
    Promise<Collected> promise = Promise.promise();
    Buffer body = Buffer.buffer((int) Math.min(limit, 16 * 1024));
    if (req.version() != HttpVersion.HTTP_1_0 && "100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
      req.response().writeContinue();
    }
    req.handler(chunk -> {
      if (promise.future().isComplete()) {
        return;
      }
      body.appendBuffer(chunk);
      if (body.length() > maxBytes) {
        req.handler(null);
        promise.tryFail(new BodyException(413, "body_too_large", "the request body exceeds " + maxBytes + " bytes"));
      } else if (body.length() > limit) {
        req.pause(); // the rest waits on the request for the proxy step
        promise.tryComplete(new Collected(body, false));
      }
    });
    req.endHandler(v -> promise.tryComplete(new Collected(body, true)));
    req.exceptionHandler(e -> promise.tryFail(new BodyException(400, "bad_request",
        "the request body could not be read")));
    exchange.onBodyFailure(detail -> {
      req.handler(null);
      promise.tryFail(new BodyException(400, "bad_request", detail));
    });
    req.resume();
    return promise.future();
  }
}
