package dev.citizen.gateway.server;

import dev.citizen.gateway.config.ServerConfig;
import dev.citizen.gateway.proxy.ProxyCall;
import dev.citizen.gateway.proxy.WebSocketTunnel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One event loop's share of the public listener: its HTTP server (Vert.x spreads accepted
 * connections over the instances bound to one port) and its own upstream client, so a request
 * and its upstream call stay on one thread.
 */
final class GatewayVerticle extends VerticleBase {
  /** Idle upstream connections are dropped before typical service keep-alive timeouts expire. */
  private static final int UPSTREAM_KEEP_ALIVE_SECONDS = 30;
  /** Per endpoint and event loop; high because each in-flight HTTP/1.1 request holds one. */
  private static final int UPSTREAM_POOL_SIZE = 1024;
  /** Vert.x's own decoder limits sit above the guard's configured limits, which are the real ones. */
  private static final int DECODER_LIMIT = 1024 * 1024;

  private final Supplier<Snapshot> snapshot;
  private final int port;
  private HttpServer server;
  private HttpClient client;
  private ProxyCall proxy;

  GatewayVerticle(Supplier<Snapshot> snapshot, int port) {
    this.snapshot = snapshot;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    ServerConfig sc = snapshot.get().config().server();
    client = vertx.httpClientBuilder()
        .with(new HttpClientOptions()
            .setKeepAlive(true)
            .setKeepAliveTimeout(UPSTREAM_KEEP_ALIVE_SECONDS)
            .setMaxHeaderSize(64 * 1024)
            .setMaxInitialLineLength(16 * 1024)
            .setDecompressionSupported(false))
        .with(new PoolOptions().setHttp1MaxSize(UPSTREAM_POOL_SIZE))
        .build();
    proxy = new ProxyCall(vertx, client);
    RequestHandler handler = new RequestHandler(snapshot, proxy, new WebSocketTunnel(client));
    HttpServerOptions options = new HttpServerOptions()
        .setHost(sc.host())
        .setPort(port)
        .setIdleTimeout((int) sc.timeouts().idle().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // HTTP/2 arrives with TLS (ALPN); cleartext upgrades are refused so every HTTP/1 byte
        // passes the request guard.
        .setHttp2ClearTextEnabled(false)
        .setHandle100ContinueAutomatically(false)
        .setCompressionSupported(false)
        // Requests are handled on the event loop that owns the connection: no cross-thread hand-off.
        .setStrictThreadMode(true)
        .setMaxHeaderSize(DECODER_LIMIT)
        .setMaxInitialLineLength(DECODER_LIMIT);
    server = vertx.createHttpServer(options)
        .connectionHandler(conn -> GuardInstaller.install(conn, this::guardSettings))
        .requestHandler(handler);
    return server.listen();
  }

  private Http1RequestGuard.Settings guardSettings() {
    var server = snapshot.get().config().server();
    return new Http1RequestGuard.Settings(server.limits().maxHeaderBytes().toIntBytes(),
        server.limits().maxUriBytes().toIntBytes(), server.timeouts().header().toMillis());
  }

  int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    proxy.close();
    return server.close().eventually(() -> client.close());
  }
}
