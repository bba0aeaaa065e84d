package dev.citizen.gateway.server;

import dev.citizen.gateway.observe.RequestObserver;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 side of the slow-loris protection that {@link Http1RequestGuard} gives HTTP/1.1: once
 * bytes of a frame have arrived, the frame must be complete within {@code server.timeouts.header},
 * and a request head (a HEADERS frame and its CONTINUATIONs) counts as one frame. A connection that
 * trickles slower is sent a GOAWAY (ENHANCE_YOUR_CALM) and closed, logged at INFO and counted in
 * {@code gateway_connections_cut_total{reason="http2_frame_timeout"}}. Without this a client could
 * hold a connection for as long as it sends a byte now and then: the idle timeout only looks at
 * whether bytes arrive.
 *
 * <p>How "complete" is seen without parsing frames twice: the guard notes when bytes arrive at the
 * raw socket (in front of TLS, so a trickled TLS record counts too) while no frame has completed
 * since, and Netty's HTTP/2 decoder tells it through the frame listener whenever a frame is done.
 * CONTINUATION frames reach the listener only with the header block's last one, which is what
 * makes a head that never ends a pending frame. A read that completes a frame and brings the start
 * of the next one starts the clock only at the following read: a trickle is caught one read late,
 * never missed. Per read and per frame this is a field write; a timer runs only while something
 * is pending, one at a time.
 *
 * <p>Installed when Vert.x reports the connection (after the client's first SETTINGS frame); the
 * TLS handshake has its own timeout, and the preface before SETTINGS is covered by the idle
 * timeout only. A frame the decoder drops without telling the listener (a DATA or RST_STREAM frame
 * for a stream already closed) looks pending until the next frame: a connection that then stays
 * silent is closed after the header timeout instead of the idle timeout, which costs its client a
 * reconnect and nothing else.
 *
 * <p>Not thread-safe: everything runs on the connection's event loop.
 */
final class Http2HeadGuard {
  private static final Logger LOG = LoggerFactory.getLogger(Http2HeadGuard.class);
  /** The reason metrics count a cut under ({@code gateway_connections_cut_total{reason}}). */
  static final String CUT_REASON = "http2_frame_timeout";

  private final Channel channel;
  private final HttpConnection connection;
  /** Told of each cut ({@link RequestObserver#connectionCut}); null for none. */
  private final RequestObserver observer;
  private final long timeoutNanos;
  /** When bytes came in with no frame completed since (System.nanoTime), or -1 when none wait. */
  private long pendingSince = -1;
  private ScheduledFuture<?> check;
  private final Runnable onCheck = this::check;

  private Http2HeadGuard(Channel channel, HttpConnection connection, RequestObserver observer, long timeoutMillis) {
    this.channel = channel;
    this.connection = connection;
    this.observer = observer;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  /**
   * Guards an HTTP/2 connection: {@code handler} is its Netty HTTP/2 handler, whose frame listener
   * Vert.x has set by now; {@code observer} (may be null) hears of each cut. Does nothing when
   * {@code timeoutMillis <= 0}.
   */
  static void install(HttpConnection connection, Channel channel, Http2ConnectionHandler handler,
      RequestObserver observer, long timeoutMillis) {
    if (timeoutMillis <= 0 || channel.pipeline().get(RawReads.class) != null) {
      return;
    }
    Http2HeadGuard guard = new Http2HeadGuard(channel, connection, observer, timeoutMillis);
    Http2ConnectionDecoder decoder = handler.decoder();
    decoder.frameListener(new FrameDone(decoder.frameListener(), guard));
    channel.pipeline().addFirst("h2HeadGuard", new RawReads(guard));
  }

  /** Bytes came in; unless a frame listener call follows in this read, they are a pending frame. */
  private void bytesArrived() {
    if (pendingSince < 0) {
      pendingSince = System.nanoTime();
      if (check == null) {
        check = channel.eventLoop().schedule(onCheck, timeoutNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  private void frameDone() {
    pendingSince = -1;
  }

  private void check() {
    check = null;
    if (pendingSince < 0 || !channel.isActive()) {
      return;
    }
    long waited = System.nanoTime() - pendingSince;
    if (waited < timeoutNanos) {
      check = channel.eventLoop().schedule(onCheck, timeoutNanos - waited, TimeUnit.NANOSECONDS);
      return;
    }
    // INFO, not DEBUG as for HTTP/1.1: there is no answer, so no access line, to show it otherwise.
    LOG.atInfo().addKeyValue("client", connection.remoteAddress())
        .log("HTTP/2 connection closed: a frame not complete within {} ms", TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
    connection.goAway(Http2Error.ENHANCE_YOUR_CALM.code());
    channel.close();
    if (observer != null) {
      observer.connectionCut(CUT_REASON);
    }
  }

  /** First in the pipeline: sees the raw bytes, before TLS. */
  private static final class RawReads extends ChannelInboundHandlerAdapter {
    private final Http2HeadGuard guard;

    RawReads(Http2HeadGuard guard) {
      this.guard = guard;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf buf && buf.isReadable()) {
        guard.bytesArrived();
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (guard.check != null) {
        guard.check.cancel(false);
        guard.check = null;
      }
      ctx.fireChannelInactive();
    }
  }

  /** Vert.x's frame listener, with every completed frame reported to the guard first. */
  private static final class FrameDone extends Http2FrameListenerDecorator {
    private final Http2HeadGuard guard;

    FrameDone(Http2FrameListener listener, Http2HeadGuard guard) {
      super(listener);
      this.guard = guard;
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream)
        throws Http2Exception {
      guard.frameDone();
      return super.onDataRead(ctx, streamId, data, padding, endOfStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
        boolean endStream) throws Http2Exception {
      guard.frameDone();
      super.onHeadersRead(ctx, streamId, headers, padding, endStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
        short weight, boolean exclusive, int padding, boolean endStream) throws Http2Exception {
      guard.frameDone();
      super.onHeadersRead(ctx, streamId, headers, streamDependency, weight, exclusive, padding, endStream);
    }

    @Override
    public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight,
        boolean exclusive) throws Http2Exception {
      guard.frameDone();
      super.onPriorityRead(ctx, streamId, streamDependency, weight, exclusive);
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) throws Http2Exception {
      guard.frameDone();
      super.onRstStreamRead(ctx, streamId, errorCode);
    }

    @Override
    public void onSettingsAckRead(ChannelHandlerContext ctx) throws Http2Exception {
      guard.frameDone();
      super.onSettingsAckRead(ctx);
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) throws Http2Exception {
      guard.frameDone();
      super.onSettingsRead(ctx, settings);
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
      guard.frameDone();
      super.onPingRead(ctx, data);
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
      guard.frameDone();
      super.onPingAckRead(ctx, data);
    }

    @Override
    public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId,
        Http2Headers headers, int padding) throws Http2Exception {
      guard.frameDone();
      super.onPushPromiseRead(ctx, streamId, promisedStreamId, headers, padding);
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData)
        throws Http2Exception {
      guard.frameDone();
      super.onGoAwayRead(ctx, lastStreamId, errorCode, debugData);
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement)
        throws Http2Exception {
      guard.frameDone();
      super.onWindowUpdateRead(ctx, streamId, windowSizeIncrement);
    }

    @Override
    public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags,
        ByteBuf payload) throws Http2Exception {
      guard.frameDone();
      super.onUnknownFrame(ctx, frameType, streamId, flags, payload);
    }
  }
}
