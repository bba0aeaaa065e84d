package dev.citizen.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * A service's response on an {@link UpstreamConnection}: its head, and its body as a Vert.x
 * {@link ReadStream} with backpressure. Chunks nobody asked for yet (paused, or no demand left)
 * wait here; past {@link #HIGH_WATER_BYTES} the connection stops reading from its socket, so a
 * slow client holds back the service instead of filling the gateway's memory.
 *
 * <p>Used on the connection's event loop only.
 */
public final class UpstreamResponse implements ReadStream<Buffer> {
  private final UpstreamConnection connection;
  private final int status;
  private final MultiMap headers;
  private final Promise<Void> end = Promise.promise();
  /**
   * Bytes held here before the connection stops reading. Turning the socket's reading off and
   * on costs two system calls (epoll_ctl), so a response's first chunks, arriving before the
   * writer asked for them, wait here instead; only a reader that falls this far behind stops it.
   */
  static final int HIGH_WATER_BYTES = 64 * 1024;

  private final ArrayDeque<Buffer> pending = new ArrayDeque<>(2);
  private int pendingBytes;
  private boolean stopped;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  /** Chunks the reader still wants; starts at 0: the proxy hands the response on paused. */
  private long demand;
  private boolean ended;
  private Throwable failure;
  private boolean delivered;
  /** Set by {@link #body()}: the whole body is gathered here instead of streamed. */
  private ByteBuf collector;

  UpstreamResponse(UpstreamConnection connection, int status, MultiMap headers) {
    this.connection = connection;
    this.status = status;
    this.headers = headers;
  }

  public int statusCode() {
    return status;
  }

  public MultiMap headers() {
    return headers;
  }

  /** Completes when the whole body arrived; fails if the connection broke first. */
  public Future<Void> end() {
    return end.future();
  }

  /**
   * The whole body, for the small responses the writer sends in one write with the head. The
   * caller resumes the stream; the body is at most what the Content-Length it checked allows.
   *
   * <p>The body is gathered in one pooled direct buffer of the announced size, straight from the
   * socket's buffers: no per-chunk copy, no growing, no garbage, and the socket write needs no
   * copy into direct memory either. So the caller must {@link #releaseBody()} once the write is
   * done (its future completed), whatever its outcome; a failed body is released here.
   */
  public Future<Buffer> body() {
    if (failure != null) {
      return end.future().map(v -> null);
    }
    String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
    collector = connection.channel().alloc().directBuffer(length == null ? 256 : Integer.parseInt(length.trim()));
    while (!pending.isEmpty()) {
      collector.writeBytes(((BufferInternal) pending.poll()).getByteBuf());
    }
    pendingBytes = 0;
    demand = Long.MAX_VALUE;
    if (stopped) {
      stopped = false;
      connection.reading(this, true);
    }
    ByteBuf all = collector;
    return end.future().map(v -> BufferInternal.buffer(all));
  }

  /** Gives the buffer of {@link #body()} back to the pool; safe to call more than once. */
  public void releaseBody() {
    ByteBuf c = collector;
    if (c != null && c.refCnt() > 0) {
      c.release();
    }
  }

  @Override
  public UpstreamResponse handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public UpstreamResponse endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public UpstreamResponse exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public UpstreamResponse pause() {
    demand = 0;
    return this;
  }

  @Override
  public UpstreamResponse resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public UpstreamResponse fetch(long amount) {
    if (amount <= 0) {
      return this;
    }
    demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
    drain();
    if (stopped && pendingBytes < HIGH_WATER_BYTES / 2 && !ended && failure == null) {
      stopped = false;
      connection.reading(this, true);
    }
    return this;
  }

  /** A chunk of the body from the socket; this takes over {@code content}. */
  void data(ByteBuf content) {
    if (collector != null) {
      collector.writeBytes(content);
      content.release();
      return;
    }
    Buffer chunk = BufferInternal.safeBuffer(content); // copies the pooled socket buffer and releases it
    if (demand > 0 && pending.isEmpty()) {
      emit(chunk);
      return;
    }
    pending.add(chunk);
    pendingBytes += chunk.length();
    if (pendingBytes >= HIGH_WATER_BYTES && !stopped) {
      stopped = true;
      connection.reading(this, false);
    }
  }

  /** The body's last chunk arrived. */
  void ended() {
    ended = true;
    drain();
  }

  /** The connection broke before the body ended. */
  void failed(Throwable cause) {
    if (ended || failure != null) {
      return;
    }
    failure = cause;
    pending.clear();
    pendingBytes = 0;
    releaseBody();
    end.tryFail(cause);
    if (exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
  }

  private void drain() {
    while (demand > 0 && !pending.isEmpty()) {
      Buffer chunk = pending.poll();
      pendingBytes -= chunk.length();
      emit(chunk);
    }
    if (ended && pending.isEmpty() && !delivered) {
      delivered = true;
      end.tryComplete();
      if (endHandler != null) {
        endHandler.handle(null);
      }
    }
  }

  private void emit(Buffer chunk) {
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    if (handler != null) {
      handler.handle(chunk);
    }
  }
}
