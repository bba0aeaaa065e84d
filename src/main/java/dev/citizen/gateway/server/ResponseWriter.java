package dev.citizen.gateway.server;

import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Response;
import dev.citizen.gateway.http.Messages;
import dev.citizen.gateway.observe.RequestRecord;
import dev.citizen.gateway.proxy.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.streams.ReadStream;

/**
 * Writes a {@link Response} to the client: status, headers, {@code X-Request-Id}, then the body,
 * streamed with backpressure. A stream that fails midway resets the client's connection (HTTP/1.1)
 * or stream (HTTP/2) rather than ending it, so a truncated body can never look complete.
 *
 * <p>HTTP/2 has no {@code Connection: close}: connection-specific headers are dropped from its
 * responses (RFC 9113 §8.2.2 makes a response carrying them malformed), a request whose body is
 * left unread gets its stream reset with NO_ERROR after the response (§8.1: the client stops
 * sending, and the unread bytes stop holding the connection's flow-control window), and during a
 * drain the connection gets a GOAWAY, so the client sends new requests elsewhere.
 */
final class ResponseWriter {
  static final String X_REQUEST_ID = "X-Request-Id";
  static final String TRACEPARENT = "traceparent";

  private ResponseWriter() {}

  /**
   * Writes the response; the future completes once the last byte was handed to the connection.
   * While {@code draining}, an HTTP/1 response says {@code Connection: close} and the connection
   * closes after it: Vert.x's own shutdown closes busy connections after their response without
   * saying so, and a keep-alive client would then send its next request into a closing socket.
   * An HTTP/2 connection gets a GOAWAY instead (in-flight streams finish; the listener's shutdown
   * closes it at the latest).
   */
  static Future<Void> write(HttpServerRequest req, RequestRecord record, Response r, Http1RequestGuard guard,
      boolean draining) {
    Future<Void> written = writeResponse(req, record, r, guard, draining);
    if (req.version() == HttpVersion.HTTP_2) {
      written.onComplete(v -> afterHttp2Response(req, draining));
    }
    return written;
  }

  /** Connection-specific header fields, which HTTP/2 forbids (RFC 9113 §8.2.2). */
  private static final String[] H2_FORBIDDEN = {
    "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"
  };

  /**
   * HTTP/2's counterpart of closing the connection after a response: a request body still being
   * sent is stopped by resetting its stream with NO_ERROR; while draining, the connection gets a
   * GOAWAY (repeating it is a no-op).
   */
  private static void afterHttp2Response(HttpServerRequest req, boolean draining) {
    if (!req.isEnded() && !req.response().closed()) {
      req.response().reset(0); // NO_ERROR
    }
    if (draining) {
      req.connection().goAway(0);
    }
  }

  private static Future<Void> writeResponse(HttpServerRequest req, RequestRecord record, Response r,
      Http1RequestGuard guard, boolean draining) {
    String requestId = record.requestId();
    HttpServerResponse out = req.response();
    if (out.headWritten() || out.closed()) {
      r.abort();
      return Future.succeededFuture();
    }
    out.setStatusCode(r.status());
    out.headers().addAll(r.headers());
    boolean h2 = req.version() == HttpVersion.HTTP_2;
    if (h2) {
      for (String name : H2_FORBIDDEN) {
        out.headers().remove(name);
      }
    }
    out.headers().set(X_REQUEST_ID, requestId);
    // The client learns the trace its request joined, to quote it in a support call.
    out.headers().set(TRACEPARENT, record.traceparent());
    boolean closeAfter = draining || "close".equalsIgnoreCase(r.headers().get(HttpHeaders.CONNECTION))
        || (req.version() != HttpVersion.HTTP_2 && clientAsksToClose(req));
    if (r.stream() == null && Messages.hasRequestBody(req) && !req.isEnded()) {
      // A local reply while the client's body is still unread: this connection cannot carry
      // another request, because the rest of the body would be read as one.
      closeAfter = true;
    }
    if (closeAfter && req.version() != HttpVersion.HTTP_2) {
      announceClose(out, guard);
    }
    Buffer body = r.problem() != null ? Buffer.buffer(r.problem().toJsonBytes(requestId)) : r.body();
    if (r.stream() == null) {
      return end(req, body == null ? out.end() : out.end(body), closeAfter);
    }
    ReadStream<Buffer> stream = r.stream();
    if (!mayHaveBody(req, r.status())) {
      stream.handler(null);
      stream.resume();
      return end(req, out.end(), closeAfter);
    }
    if (!out.headers().contains(HttpHeaders.CONTENT_LENGTH) && req.version() != HttpVersion.HTTP_2) {
      if (req.version() == HttpVersion.HTTP_1_1) {
        out.setChunked(true);
      } else {
        // HTTP/1.0 has no chunked coding: the body ends where the connection ends (RFC 9112
        // §6.3). Vert.x keeps a 1.0 keep-alive connection open, so close it ourselves, or the
        // client waits forever for the end of the body.
        announceClose(out, guard);
        closeAfter = true;
      }
    }
    boolean close = closeAfter && req.version() != HttpVersion.HTTP_2;
    if (stream instanceof UpstreamResponse upstream && isSmall(out.headers().get(HttpHeaders.CONTENT_LENGTH))) {
      // A small body of known length goes out in one write with the head: one syscall instead of
      // a pipe's several, and its memory is bounded by SMALL_BODY_BYTES.
      Future<Buffer> collected = upstream.body();
      upstream.resume(); // body() only collects; the proxy step left the stream paused
      return collected.transform(ar -> {
        if (ar.failed()) {
          out.reset(); // the upstream failed mid-body: never end the response cleanly
          return Future.failedFuture(ar.cause());
        }
        Buffer whole = ar.result();
        if (h2) {
          // An HTTP/2 write may wait for flow-control credit after its future completed: the
          // stream gets a heap copy, and the pooled buffer goes back at once.
          whole = Buffer.buffer(whole.getBytes());
          upstream.releaseBody();
        }
        // HTTP/1.1: the pooled buffer goes out as it is and back to the pool once written.
        Future<Void> ended = out.end(whole).onComplete(v -> upstream.releaseBody());
        return close ? ended.onComplete(v -> req.connection().close()) : ended;
      });
    }
    return stream.pipe().endOnFailure(false).to(out).onSuccess(v -> {
      if (close) {
        req.connection().close();
      }
    }).onFailure(e -> {
      r.abort();
      out.reset();
    });
  }

  /**
   * Whether the client's Connection header lists the {@code close} option, after which the server
   * must close (RFC 9112 §9.6). Vert.x only honours a header that is exactly "close", so
   * {@code Connection: close, X-Foo} would otherwise leave the connection open.
   */
  private static boolean clientAsksToClose(HttpServerRequest req) {
    if (!req.headers().contains(HttpHeaders.CONNECTION)) {
      return false;
    }
    for (String value : req.headers().getAll(HttpHeaders.CONNECTION)) {
      for (String option : value.split(",")) {
        if (option.trim().equalsIgnoreCase("close")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * {@code Connection: close} on the response head. Set again just before the head is written,
   * because Vert.x rewrites the header to {@code keep-alive} for HTTP/1.0 clients that asked for
   * keep-alive, which would announce a connection that the gateway is about to close.
   */
  private static void announceClose(HttpServerResponse out, Http1RequestGuard guard) {
    if (guard != null) {
      guard.markClosing(); // requests pipelined behind this answer must not run
    }
    out.headers().set(HttpHeaders.CONNECTION, "close");
    out.headersEndHandler(v -> out.headers().set(HttpHeaders.CONNECTION, "close"));
  }

  private static Future<Void> end(HttpServerRequest req, Future<Void> ended, boolean closeAfter) {
    if (closeAfter && req.version() != HttpVersion.HTTP_2) {
      return ended.onComplete(v -> req.connection().close());
    }
    return ended;
  }

  /** Bodies up to this size, with a Content-Length, are read whole before they are written. */
  static final long SMALL_BODY_BYTES = 64 * 1024;

  private static boolean isSmall(String contentLength) {
    if (contentLength == null || contentLength.length() > 6) {
      return false;
    }
    for (int i = 0; i < contentLength.length(); i++) {
      char c = contentLength.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return Long.parseLong(contentLength) <= SMALL_BODY_BYTES;
  }

  /** HEAD responses, 1xx, 204 and 304 never carry a body (RFC 9110 §6.4.1). */
  static boolean mayHaveBody(HttpServerRequest req, int status) {
    return req.method() != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
  }
}
