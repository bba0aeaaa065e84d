package dev.citizen.gateway.blackbox;

import dev.citizen.gateway.config.ConfigLoader;
import dev.citizen.gateway.server.Gateway;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway for black-box tests: started from YAML written to a temp file (so reloads can
 * be tested by rewriting it), on ephemeral loopback ports, in its own Vert.x instance; plus real
 * backends on ephemeral ports in a separate Vert.x instance, so the test's servers never share
 * event loops with the gateway.
 */
final class TestGateway implements AutoCloseable {
  final Vertx gatewayVertx;
  final Vertx backendVertx;
  final Path configFile;
  Gateway gateway;

  private TestGateway(Path configFile) {
    this.gatewayVertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    this.backendVertx = Vertx.vertx();
    this.configFile = configFile;
  }

  /** A harness with backends but no gateway yet: start backends, then {@link #startGateway}. */
  static TestGateway create() throws IOException {
    return new TestGateway(Files.createTempFile("gateway-test", ".yaml"));
  }

  /** Starts the gateway from {@code yaml}; the file is re-read every 100 ms for reload tests. */
  TestGateway startGateway(String yaml) throws Exception {
    Files.writeString(configFile, yaml, StandardCharsets.UTF_8);
    gateway = Gateway.start(gatewayVertx, configFile, new ConfigLoader(), 100)
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    return this;
  }

  /** Replaces the config file atomically, as an operator's tooling would. */
  void rewriteConfig(String yaml) throws IOException {
    Path tmp = Files.createTempFile(configFile.getParent(), "gateway-test", ".tmp");
    Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
    Files.move(tmp, configFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  int port() {
    return gateway.port();
  }

  int adminPort() {
    return gateway.adminPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** A real HTTP backend on an ephemeral loopback port; returns its port. */
  int httpBackend(Handler<HttpServerRequest> handler) throws Exception {
    HttpServer server = backendVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(handler);
    return server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  /** A raw TCP backend, for services that misbehave (slow, reset, malformed); returns its port. */
  int tcpBackend(Handler<NetSocket> handler) throws Exception {
    NetServer server = backendVertx.createNetServer().connectHandler(handler);
    return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
  }

  /** A loopback port with nothing listening (bound then released). */
  static int closedPort() throws IOException {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Minimal config: one service at {@code backendPort}, one route {@code /**} to it. */
  static String simpleConfig(int backendPort) {
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
          backend:
            endpoints: [{url: "http://127.0.0.1:%d"}]
            timeouts: {connect: 1s, response: 2s}
        routes:
          - id: all
            match: {path: /**}
            service: backend
        """.formatted(backendPort);
  }

  @Override
  public void close() throws Exception {
    if (gateway != null) {
      gateway.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    gatewayVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    backendVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Files.deleteIfExists(configFile);
  }
}
