package dev.citizen.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.util.Map;

/**
 * One HTTP/1.1 connection to a service, on Netty directly (the last handler of its pipeline),
 * carrying one exchange at a time: the proxy fills in the request's head, writes its body (whole,
 * or streamed with backpressure), and gets the response as an {@link UpstreamResponse}. When both
 * ends are done and the service allows it, the connection goes back to its {@link UpstreamPool}.
 *
 * <p>Why not Vert.x's {@code HttpClient}: its request, response, stream and pool objects cost more
 * CPU per request than the rest of the proxy's hop together (docs/performance.md); the gateway
 * needs a small part of what it does. Everything here runs on the connection's event loop, which
 * is the loop of the client connection that uses it; Netty's events are dispatched through the
 * Vert.x context so that futures and handlers see the context they expect.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {
  /** The service closed the connection, or it failed, before the response ended. */
  static final class Closed extends IOException {
    Closed(String message) {
      super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // an expected event with a clear message: a stack trace would only cost
    }
  }

  private final UpstreamPool pool;
  private final UpstreamPool.Key key;
  private final ContextInternal context;
  private Channel channel;
  // The current exchange; all set anew by begin().
  private HttpMethod method;
  private String uri;
  private MultiMap headers;
  private boolean headSent;
  private boolean requestEnded;
  private Promise<UpstreamResponse> response;
  private UpstreamResponse current;
  private boolean keepAlive;
  /** The response's last byte was read from the socket (its reader may not have taken it yet). */
  private boolean responseEnded;
  private boolean interim;
  private Handler<Void> drainHandler;
  private boolean broken;
  /** Counts exchanges, so that a late reset from a finished one cannot hit the next. */
  private long exchange;
  /** When the connection went idle in the pool, for its keep-alive limit. */
  long idleSinceNanos;

  UpstreamConnection(UpstreamPool pool, UpstreamPool.Key key, ContextInternal context) {
    this.pool = pool;
    this.key = key;
    this.context = context;
  }

  UpstreamPool.Key key() {
    return key;
  }

  Channel channel() {
    return channel;
  }

  /**
   * Starts an exchange: the request line; fill in {@link #headers()} before the first write.
   * Returns the exchange's number, for {@link #reset(long)}.
   */
  long begin(io.vertx.core.http.HttpMethod method, String uri) {
    this.method = HttpMethod.valueOf(method.name());
    this.uri = uri;
    this.headers = io.vertx.core.http.HttpHeaders.headers();
    this.headSent = false;
    this.requestEnded = false;
    this.response = Promise.promise();
    this.current = null;
    this.keepAlive = true;
    this.responseEnded = false;
    this.interim = false;
    this.drainHandler = null;
    return ++exchange;
  }

  /** The request's headers, sent with the first write. */
  public MultiMap headers() {
    return headers;
  }

  /** The response head, or a {@link Closed} failure if the connection broke before it. */
  public Future<UpstreamResponse> response() {
    return response.future();
  }

  /** Sends the request without a body. */
  public void end() {
    end(null);
  }

  /** Sends the rest of the request: {@code last} (may be null) and the end of the body. */
  public void end(Buffer last) {
    if (broken) {
      return;
    }
    requestEnded = true;
    if (!headSent) {
      headSent = true;
      ByteBuf body = last == null ? Unpooled.EMPTY_BUFFER : byteBuf(last);
      channel.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, body,
          nettyHeaders(), EmptyHttpHeaders.INSTANCE), channel.voidPromise());
      return;
    }
    channel.writeAndFlush(last == null ? LastHttpContent.EMPTY_LAST_CONTENT : new DefaultLastHttpContent(byteBuf(last)),
        channel.voidPromise());
    releaseIfDone();
  }

  /**
   * Writes a piece of a streamed body. Without a Content-Length in {@link #headers()} the body
   * goes chunked.
   */
  public void write(Buffer chunk) {
    if (broken) {
      return;
    }
    if (!headSent) {
      headSent = true;
      if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
      channel.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri, nettyHeaders()), channel.voidPromise());
    }
    channel.writeAndFlush(new DefaultHttpContent(byteBuf(chunk)), channel.voidPromise());
  }

  /** Whether the socket's outbound buffer is over its high-water mark: stop writing until drain. */
  public boolean writeQueueFull() {
    return !channel.isWritable();
  }

  public void drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
  }

  /**
   * Abandons exchange {@code id} if it is still under way: the connection is closed, which fails
   * a response still arriving (the service sees the request cut off, as it would see a reset
   * stream). A finished exchange's connection may be serving another one by now: left alone.
   */
  public void reset(long id) {
    if (id == exchange && response != null) { // the exchange holds its promise until it is done
      reset();
    }
  }

  /** Closes the connection. */
  void reset() {
    if (!broken) {
      broken = true;
      channel.close();
    }
  }

  /**
   * Turns reading from the socket on or off: the response body's backpressure. Only the
   * exchange's own response may: an old one, still draining what it holds after the connection
   * moved on to the next exchange, must not stall that one.
   */
  void reading(UpstreamResponse from, boolean on) {
    if (from == current && !responseEnded) {
      reading(on);
    }
  }

  private void reading(boolean on) {
    if (channel.config().isAutoRead() != on) {
      channel.config().setAutoRead(on);
    }
  }

  // ---- Netty events (on the channel's event loop, which is the context's)

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // Not channelActive: Netty completes the connect future, where the pool hands the connection
    // out, before it fires channelActive.
    this.channel = ctx.channel();
  }

  private final Handler<Object> onRead = this::read;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    context.emit(msg, onRead);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    context.emit(new Closed("the service closed the connection"), cause -> {
      fail(cause);
      pool.closed(this);
    });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A TLS or socket error: the exchange fails with it (channelInactive follows the close).
    context.emit(cause, this::fail);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && drainHandler != null) {
      Handler<Void> h = drainHandler;
      drainHandler = null;
      context.emit(null, h);
    }
  }

  private void read(Object msg) {
    try {
      if (msg instanceof HttpResponse head) {
        onHead(head);
      }
      if (msg instanceof HttpContent content) {
        onContent(content);
        return; // the content's buffer was handed on or released
      }
    } catch (RuntimeException e) {
      ReferenceCountUtil.release(msg);
      throw e;
    }
    ReferenceCountUtil.release(msg);
  }

  private void onHead(HttpResponse head) {
    if (head.decoderResult().isFailure()) {
      fail(new Closed("the service sent a malformed response: " + head.decoderResult().cause().getMessage()));
      return;
    }
    int status = head.status().code();
    if (status >= 100 && status < 200) {
      interim = true; // 100 Continue, 103 Early Hints: not the response; its empty end follows
      return;
    }
    if (response == null || current != null) {
      fail(new Closed("the service sent a response nobody asked for"));
      return;
    }
    keepAlive = HttpUtil.isKeepAlive(head);
    current = new UpstreamResponse(this, status, multiMap(head.headers()));
    response.tryComplete(current);
  }

  private void onContent(HttpContent content) {
    if (content.decoderResult().isFailure()) {
      content.release();
      fail(new Closed("the service sent a malformed body: " + content.decoderResult().cause().getMessage()));
      return;
    }
    boolean last = content instanceof LastHttpContent;
    if (interim) {
      content.release();
      interim = !last;
      return;
    }
    UpstreamResponse r = current;
    if (r == null) {
      content.release();
      return;
    }
    ByteBuf data = content.content();
    if (data.isReadable()) {
      r.data(data);
    } else {
      content.release();
    }
    if (last) {
      // The connection is free before the reader hears of the end: what the reader does then
      // (an HTTP/2 client stream closing, say, which resets the attempt) is past this exchange.
      responseEnded = true;
      releaseIfDone();
      r.ended();
    }
  }

  /** Both directions done: back to the pool if the service keeps the connection, else closed. */
  private void releaseIfDone() {
    if (broken || !requestEnded || !responseEnded) {
      return;
    }
    response = null;
    current = null;
    drainHandler = null;
    if (keepAlive) {
      reading(true);
      pool.release(this);
    } else {
      broken = true;
      channel.close();
    }
  }

  /** Ends the exchange (if any) with {@code cause} and closes the connection. */
  private void fail(Throwable cause) {
    broken = true;
    if (!(cause instanceof Closed)) {
      cause = new Closed(String.valueOf(cause));
    }
    Promise<UpstreamResponse> p = response;
    UpstreamResponse r = current;
    response = null;
    current = null;
    if (p != null) {
      p.tryFail(cause);
    }
    if (r != null) {
      r.failed(cause);
    }
    if (channel != null) {
      channel.close();
    }
  }

  /**
   * The decoder makes Vert.x header maps ({@link UpstreamPool}), which are Netty ones too, so a
   * response's headers reach the writer without a copy.
   */
  private static MultiMap multiMap(HttpHeaders headers) {
    if (headers instanceof MultiMap m) {
      return m;
    }
    MultiMap copy = io.vertx.core.http.HttpHeaders.headers();
    for (Map.Entry<String, String> e : headers) {
      copy.add(e.getKey(), e.getValue());
    }
    return copy;
  }

  private HttpHeaders nettyHeaders() {
    if (headers instanceof HttpHeaders h) {
      return h; // Vert.x's header map is a Netty one: encoded as it is, no copy
    }
    HttpHeaders h = new DefaultHttpHeaders();
    headers.forEach(e -> h.add(e.getKey(), e.getValue()));
    return h;
  }

  private static ByteBuf byteBuf(Buffer buffer) {
    return ((BufferInternal) buffer).getByteBuf();
  }
}
