package dev.citizen.gateway.server;

import dev.citizen.gateway.config.ServerConfig;
import dev.citizen.gateway.observe.Observers;
import dev.citizen.gateway.proxy.ProxyCall;
import dev.citizen.gateway.proxy.UpstreamPool;
import dev.citizen.gateway.proxy.Via;
import dev.citizen.gateway.proxy.WebSocketTunnel;
import dev.citizen.gateway.tls.PemKeyPair;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's share of the public listener: its HTTP server (Vert.x spreads accepted
 * connections over the instances bound to one port) and its own upstream client, so a request
 * and its upstream call stay on one thread.
 */
final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  /** Idle upstream connections are dropped before typical service keep-alive timeouts expire. */
  private static final int UPSTREAM_KEEP_ALIVE_SECONDS = 30;
  /** Per endpoint and event loop; high because each in-flight HTTP/1.1 request holds one. */
  private static final int UPSTREAM_POOL_SIZE = 1024;
  /** Vert.x's own decoder limits sit above the guard's configured limits, which are the real ones. */
  private static final int DECODER_LIMIT = 1024 * 1024;

  private final Supplier<Snapshot> snapshot;
  private final int port;
  private final boolean reusePort;
  private final DrainState drain;
  private final Observers observers;
  /** The certificate to serve at start; null for plain HTTP. */
  private final PemKeyPair tls;
  private HttpServerOptions options;
  private HttpServer server;
  private HttpClient client;
  private ProxyCall proxy;
  private final Via via;

  GatewayVerticle(Supplier<Snapshot> snapshot, int port, boolean reusePort, DrainState drain, Observers observers,
      PemKeyPair tls, Via via) {
    this.snapshot = snapshot;
    this.via = via;
    this.tls = tls;
    this.observers = observers;
    this.port = port;
    this.reusePort = reusePort;
    this.drain = drain;
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
        // A failure of an upstream connection reaches the request on it (502, retry, outlier
        // detection); without a handler Vert.x also logs it at ERROR, e.g. once per TLS connection a
        // service refuses after the handshake (a TLS 1.3 server rejecting the client certificate).
        .withConnectHandler(conn -> conn.exceptionHandler(e -> LOG.debug("upstream connection {}: {}",
            conn.remoteAddress(), e.toString())))
        .build();
    // Proxied requests use the gateway's own HTTP/1.1 connections on this loop (see UpstreamPool);
    // the Vert.x client above carries WebSocket tunnels only.
    proxy = new ProxyCall(vertx, new UpstreamPool((ContextInternal) context, UPSTREAM_POOL_SIZE,
        UPSTREAM_KEEP_ALIVE_SECONDS * 1000L), observers, via);
    RequestHandler handler = new RequestHandler(snapshot, proxy, new WebSocketTunnel(client, via), drain::draining,
        observers);
    options = new HttpServerOptions()
        .setHost(sc.host())
        .setPort(port)
        // SO_REUSEPORT (native transports only; NIO ignores it): lets a new gateway process bind
        // this port while the old one drains. Instances of one process share one socket anyway.
        .setReusePort(reusePort)
        .setIdleTimeout((int) sc.timeouts().idle().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // HTTP/2 arrives only with TLS (ALPN h2); cleartext upgrades and prior-knowledge h2c are
        // refused so every HTTP/1 byte passes the request guard.
        .setHttp2ClearTextEnabled(false)
        .setHandle100ContinueAutomatically(false)
        .setCompressionSupported(false)
        // Requests are handled on the event loop that owns the connection: no cross-thread hand-off.
        .setStrictThreadMode(true)
        .setMaxHeaderSize(DECODER_LIMIT)
        .setMaxInitialLineLength(DECODER_LIMIT);
    if (tls != null) {
      ServerTls.configure(options, tls, sc);
    }
    server = vertx.createHttpServer(options)
        .connectionHandler(conn -> {
          GuardInstaller.install(conn, this::guardSettings);
          drain.track(conn);
        })
        .requestHandler(handler);
    return server.listen();
  }

  private Http1RequestGuard.Settings guardSettings() {
    Snapshot current = snapshot.get();
    var server = current.config().server();
    return new Http1RequestGuard.Settings(server.limits().maxHeaderBytes().toIntBytes(),
        server.limits().maxUriBytes().toIntBytes(), server.timeouts().header().toMillis(),
        current.securityHeaders(null).rawHead(), observers);
  }

  /**
   * Drain step 2, on this instance's event loop: no new connections on this instance, idle ones
   * closed now, busy ones after their current response, all closed after {@code timeout}; the
   * future completes once they are all closed. Running it on the instance's own loop matters:
   * connections the acceptor already handed to this loop are set up (tasks run in order) before
   * the instance leaves the listener, so none of them is dropped unserved.
   */
  Future<Void> shutdown(Duration timeout) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> server.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS).onComplete(done));
    return done.future();
  }

  int actualPort() {
    return server.actualPort();
  }

  /**
   * Serves {@code keyPair} to new TLS connections from now on (open ones keep theirs). Instances
   * that share a listening socket share its SSL context, so this reaches all of them; calling it
   * on each is harmless (Vert.x finds the context already built for these options).
   */
  Future<Boolean> updateCertificate(PemKeyPair keyPair) {
    return server.updateSSLOptions(ServerTls.withKeyPair(options, keyPair));
  }

  @Override
  public Future<?> stop() {
    proxy.close();
    return server.close().eventually(() -> client.close());
  }
}
