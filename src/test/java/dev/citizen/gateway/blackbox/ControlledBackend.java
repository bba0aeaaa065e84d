package dev.citizen.gateway.blackbox;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP backend on loopback that a test can turn while the gateway runs: fail its health
 * checks ({@code GET /health} answers 503), answer traffic with another status (5xx), answer
 * slowly, or die (server closed, so connections are refused) and come back on the same port.
 * Traffic answers carry {@code X-Backend: name} and the body {@code name}.
 */
final class ControlledBackend {
  static final String HEALTH_PATH = "/health";

  final String name;
  private final Vertx vertx;
  volatile int port;
  /** /health answers 503 instead of 200. */
  volatile boolean failHealth;
  /** /health answers after this many ms. */
  volatile long healthDelayMillis;
  /** Status of traffic answers. */
  volatile int status = 200;
  /** Requests other than health checks. */
  final AtomicInteger traffic = new AtomicInteger();
  final AtomicInteger healthChecks = new AtomicInteger();
  volatile String healthUserAgent;
  volatile String healthHost;
  private HttpServer server;

  private ControlledBackend(Vertx vertx, String name) {
    this.vertx = vertx;
    this.name = name;
  }

  static ControlledBackend start(Vertx vertx, String name) throws Exception {
    ControlledBackend b = new ControlledBackend(vertx, name);
    b.listen(0);
    return b;
  }

  private void listen(int onPort) throws Exception {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(onPort))
        .requestHandler(this::handle);
    port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  private void handle(HttpServerRequest req) {
    if (req.path().equals(HEALTH_PATH)) {
      healthChecks.incrementAndGet();
      healthUserAgent = req.getHeader("User-Agent");
      healthHost = req.getHeader("Host");
      int s = failHealth ? 503 : 200;
      if (healthDelayMillis > 0) {
        vertx.setTimer(healthDelayMillis, id -> req.response().setStatusCode(s).end());
      } else {
        req.response().setStatusCode(s).end();
      }
      return;
    }
    traffic.incrementAndGet();
    req.response().setStatusCode(status).putHeader("X-Backend", name).end(name);
  }

  /** Closes the server (and its connections): connects to the port are refused. */
  void kill() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Listens again on the same port. */
  void revive() throws Exception {
    listen(port);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }
}
