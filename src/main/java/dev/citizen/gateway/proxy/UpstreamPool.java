package dev.citizen.gateway.proxy;

import dev.citizen.gateway.upstream.Endpoint;
import dev.citizen.gateway.upstream.UpstreamTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The kept-alive connections of one event loop to the services' endpoints ({@link
 * UpstreamConnection}), per endpoint and TLS setting. A request takes the most recently used
 * idle connection (warm, and least likely to have been closed by the service), or opens one, up
 * to {@code maxPerKey}; beyond that it waits for one to come free, within its connect timeout.
 * Idle connections are closed after the keep-alive time, before the services' own limits (often
 * 60 s) close them under a request.
 *
 * <p>One instance per event loop; used on that loop only, so it needs no locks, and a connection
 * never serves requests of two threads.
 */
public final class UpstreamPool {
  /** What a connection is for: an endpoint, and for https the TLS settings and server name. */
  record Key(String host, int port, UpstreamTls tls, String serverName) { }

  private static final int MAX_INITIAL_LINE = 16 * 1024;
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int MAX_CHUNK = 64 * 1024;

  /** Response headers as Vert.x header maps (a Netty {@code HttpHeaders} too): no copy for the writer. */
  private static final HttpHeadersFactory VERTX_HEADERS = new HttpHeadersFactory() {
    @Override
    public HttpHeaders newHeaders() {
      return (HttpHeaders) io.vertx.core.http.HttpHeaders.headers();
    }

    @Override
    public HttpHeaders newEmptyHeaders() {
      return newHeaders();
    }
  };

  private final VertxInternal vertx;
  private final ContextInternal context;
  private final EventLoop loop;
  private final int maxPerKey;
  private final long keepAliveNanos;
  private final Map<Key, Slot> slots = new HashMap<>();
  private final ScheduledFuture<?> sweeper;
  private boolean closed;

  /** The connections of one key: idle ones (most recent last) and how many are open. */
  private static final class Slot {
    final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    int open;
  }

  private record Waiter(Promise<UpstreamConnection> promise, ScheduledFuture<?> timeout, long connectTimeoutMillis) { }

  public UpstreamPool(ContextInternal context, int maxPerKey, long keepAliveMillis) {
    this.vertx = context.owner();
    this.context = context;
    this.loop = context.nettyEventLoop();
    this.maxPerKey = maxPerKey;
    this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveMillis);
    long sweep = Math.max(1000, keepAliveMillis / 4);
    this.sweeper = loop.scheduleAtFixedRate(this::closeExpired, sweep, sweep, TimeUnit.MILLISECONDS);
  }

  /**
   * A connection to {@code endpoint}, ready for {@link UpstreamConnection#begin}: an idle one, a
   * new one, or the next one to come free. Fails on a refused, unreachable or timed-out connect.
   */
  Future<UpstreamConnection> acquire(Endpoint endpoint, UpstreamTls tls, long connectTimeoutMillis) {
    Key key = new Key(endpoint.host(), endpoint.port(), endpoint.tls() ? tls : null,
        endpoint.tls() ? tls.serverName() : null);
    Slot slot = slots.computeIfAbsent(key, k -> new Slot());
    UpstreamConnection idle;
    while ((idle = slot.idle.pollLast()) != null) {
      if (idle.channel().isActive()) {
        return context.succeededFuture(idle);
      }
      // Closed by the service a moment ago: its close event is queued behind this request.
    }
    Promise<UpstreamConnection> promise = context.promise();
    if (closed) {
      promise.fail(new IllegalStateException("the gateway is stopping"));
    } else if (slot.open < maxPerKey) {
      connect(key, slot, promise, connectTimeoutMillis);
    } else {
      ScheduledFuture<?> timeout = loop.schedule(() -> {
        slot.waiters.removeIf(w -> w.promise == promise);
        promise.tryFail(new io.netty.channel.ConnectTimeoutException(
            "no connection to " + key.host + ":" + key.port + " came free in time"));
      }, connectTimeoutMillis, TimeUnit.MILLISECONDS);
      slot.waiters.add(new Waiter(promise, timeout, connectTimeoutMillis));
    }
    return promise.future();
  }

  private void connect(Key key, Slot slot, Promise<UpstreamConnection> promise, long connectTimeoutMillis) {
    slot.open++;
    UpstreamConnection connection = new UpstreamConnection(this, key, context);
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channelFactory(vertx.transport().channelFactory(false))
        .resolver(vertx.nameResolver().nettyAddressResolverGroup())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (key.tls != null) {
              ch.pipeline().addLast("tls", sslHandler(ch, key));
            }
            ch.pipeline().addLast("http", new HttpClientCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setMaxChunkSize(MAX_CHUNK)
                .setHeadersFactory(VERTX_HEADERS), false, false));
            ch.pipeline().addLast("exchange", connection);
          }
        });
    bootstrap.connect(InetSocketAddress.createUnresolved(key.host, key.port)).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        context.emit(v -> {
          slot.open--;
          promise.tryFail(f.cause());
        });
        return;
      }
      SslHandler tls = f.channel().pipeline().get(SslHandler.class);
      if (tls == null) {
        context.emit(v -> promise.tryComplete(connection));
        return;
      }
      // A service that refuses the handshake (its certificate is not trusted, or it wants a client
      // certificate) never saw the request: a connect failure, so it may be retried elsewhere.
      tls.handshakeFuture().addListener(h -> context.emit(v -> {
        if (h.isSuccess()) {
          promise.tryComplete(connection);
        } else {
          promise.tryFail(h.cause());
          f.channel().close();
        }
      }));
    });
  }

  private SslHandler sslHandler(Channel ch, Key key) {
    String peer = key.serverName != null ? key.serverName : key.host;
    try {
      // The peer name gives SNI, and the name the certificate must carry when verified.
      return key.tls.nettyContext(vertx).newHandler(ch.alloc(), peer, key.port);
    } catch (Exception e) {
      throw new IllegalStateException("the service's TLS settings cannot be used: " + e.getMessage(), e);
    }
  }

  /** A connection finished its exchange and the service keeps it open. */
  void release(UpstreamConnection connection) {
    Slot slot = slots.get(connection.key());
    if (slot == null || closed) {
      connection.reset();
      return;
    }
    Waiter waiter = slot.waiters.poll();
    if (waiter != null) {
      waiter.timeout.cancel(false);
      waiter.promise.tryComplete(connection);
      return;
    }
    connection.idleSinceNanos = System.nanoTime();
    slot.idle.addLast(connection);
  }

  /** A connection closed (by either side); a waiter, if any, gets a new one in its place. */
  void closed(UpstreamConnection connection) {
    Slot slot = slots.get(connection.key());
    if (slot == null) {
      return;
    }
    slot.idle.remove(connection);
    slot.open--;
    Waiter waiter = slot.waiters.poll();
    if (waiter != null && !closed) {
      waiter.timeout.cancel(false);
      connect(connection.key(), slot, waiter.promise, waiter.connectTimeoutMillis);
    }
    if (slot.open == 0 && slot.waiters.isEmpty()) {
      slots.remove(connection.key());
    }
  }

  private void closeExpired() {
    long now = System.nanoTime();
    for (Slot slot : slots.values()) {
      // Oldest first: the deque's head has been idle longest.
      while (!slot.idle.isEmpty() && now - slot.idle.peekFirst().idleSinceNanos >= keepAliveNanos) {
        slot.idle.pollFirst().reset();
      }
    }
  }

  /** Closes every idle connection and stops taking requests; busy ones close after their exchange. */
  public void close() {
    closed = true;
    sweeper.cancel(false);
    for (Slot slot : slots.values()) {
      for (UpstreamConnection c : slot.idle) {
        c.reset();
      }
      slot.idle.clear();
    }
  }
}
