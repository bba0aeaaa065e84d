package dev.citizen.gateway.proxy;

import dev.citizen.gateway.filter.Exchange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/** Reads a small request body whole, so that a retry can send it again. */
final class BodyReader {
  private BodyReader() {}

  /** The body of {@code expected} bytes (its Content-Length); fails with a message for the client. */
  static Future<Buffer> read(Exchange exchange, long expected) {
    HttpServerRequest req = exchange.request();
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer((int) expected);
    if (req.version() != HttpVersion.HTTP_1_0 && "100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
      req.response().writeContinue();
    }
    req.handler(body::appendBuffer);
    req.endHandler(v -> promise.tryComplete(body));
    req.exceptionHandler(e -> promise.tryFail(new IllegalStateException("the request body could not be read")));
    exchange.onBodyFailure(detail -> {
      req.handler(null);
      promise.tryFail(new IllegalStateException(detail));
    });
    req.resume();
    return promise.future();
  }
}
