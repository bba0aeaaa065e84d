package dev.citizen.gateway.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.function.Supplier;

/**
 * Puts an {@link Http1RequestGuard} in front of Vert.x's HTTP/1 decoder on every new HTTP/1
 * connection, and an {@link Http2HeadGuard} on every HTTP/2 one.
 *
 * <p>Vert.x has no public hook for this, so it reaches the Netty channel through
 * {@code ConnectionBase}, an internal class of vertx-core 5.0.x. If an upgrade of Vert.x moves it,
 * the compile breaks here, on purpose: the guard is a security control and must not silently
 * disappear.
 */
final class GuardInstaller {
  private GuardInstaller() {}

  static void install(HttpConnection connection, Supplier<Http1RequestGuard.Settings> settings) {
    Channel channel = channel(connection);
    if (channel == null) {
      return;
    }
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.get("httpDecoder") != null) {
      if (pipeline.get(Http1RequestGuard.class) == null) {
        pipeline.addBefore("httpDecoder", "requestGuard", new Http1RequestGuard(settings.get()));
      }
      return;
    }
    Http2ConnectionHandler h2 = pipeline.get(Http2ConnectionHandler.class);
    if (h2 != null) {
      Http1RequestGuard.Settings current = settings.get();
      Http2HeadGuard.install(connection, channel, h2, current.observer(), current.headerTimeoutMillis());
    }
  }

  static Channel channel(HttpConnection connection) {
    return connection instanceof ConnectionBase base ? base.channel() : null;
  }
}
