package dev.citizen.gateway.blackbox;

import dev.citizen.gateway.filter.auth.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An identity provider's JWKS endpoint for black-box tests: a real Vert.x HTTP server on loopback
 * that serves the public keys of the signers it currently publishes at {@code /jwks}, counts the
 * fetches, and can answer slowly (to show that concurrent requests share one fetch).
 */
final class TestIdp {
  static final String ISSUER = "https://idp.test/realms/citizen";

  final AtomicInteger fetches = new AtomicInteger();
  final AtomicLong delayMillis = new AtomicLong();
  private final AtomicReference<String> document = new AtomicReference<>("{\"keys\":[]}");
  private final HttpServer server;
  final int port;

  private TestIdp(HttpServer server, int port) {
    this.server = server;
    this.port = port;
  }

  static TestIdp start(Vertx vertx, TestTokens.Signer... published) throws Exception {
    AtomicReference<TestIdp> self = new AtomicReference<>();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> {
          TestIdp idp = self.get();
          if (!req.path().equals("/jwks")) {
            req.response().setStatusCode(404).end();
            return;
          }
          idp.fetches.incrementAndGet();
          String body = idp.document.get();
          Runnable answer = () -> req.response().putHeader("Content-Type", "application/jwk-set+json").end(body);
          long delay = idp.delayMillis.get();
          if (delay > 0) {
            vertx.setTimer(delay, id -> answer.run());
          } else {
            answer.run();
          }
        });
    int port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    TestIdp idp = new TestIdp(server, port);
    self.set(idp);
    idp.publish(published);
    return idp;
  }

  /** From now on the JWKS has exactly these keys. */
  void publish(TestTokens.Signer... signers) {
    document.set(TestTokens.jwks(signers));
  }

  String jwksUrl() {
    return "http://127.0.0.1:" + port + "/jwks";
  }

  void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
