package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.tls.TestCertificates;
import io.vertx.core.Handler;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code https://} endpoints and {@code services.*.tls}: a private CA ({@code caFile}), mutual TLS
 * ({@code certFile}/{@code keyFile}), {@code serverName} and {@code verifyHostname}, each service
 * with its own settings on the same upstream client; health checks and WebSocket tunnels use them
 * too. The backends are real HTTPS servers with certificates from a test CA.
 */
@Timeout(60)
class UpstreamTlsTest {
  @TempDir
  static Path dir;
  static TestCertificates pki;
  static TestCertificates otherPki;
  static TestGateway t;
  static TestCertificates.Issued namedCert;
  static final HttpClient http = HttpClient.newHttpClient();
  static final AtomicInteger healthChecksWithClientCert = new AtomicInteger();
  static final BlockingQueue<String> sniSeen = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    pki = TestCertificates.create(dir, "Upstream CA");
    otherPki = TestCertificates.create(dir, "Other CA");
    TestCertificates.Issued plainCert = pki.server("backend");
    namedCert = pki.server("named", "patients.internal", TestCertificates.KeyType.RSA,
        List.of("patients.internal"));
    TestCertificates.Issued gatewayClient = pki.client("gateway-client", "citizen-gateway");
    t = TestGateway.create();
    int tls = httpsBackend(tlsOptions(plainCert), req -> req.response().end("tls " + req.path()));
    int mtls = httpsBackend(tlsOptions(plainCert).setClientAuth(ClientAuth.REQUIRED)
        .setTrustOptions(new PemTrustOptions().addCertPath(pki.caFile().toString())), req -> {
          String client;
          try {
            client = ((X509Certificate) req.connection().peerCertificates().get(0)).getSubjectX500Principal().getName();
          } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            client = "none"; // cannot happen: the handshake required a certificate
          }
          if (req.path().equals("/health")) {
            healthChecksWithClientCert.incrementAndGet();
          }
          req.response().end("mtls " + client);
        });
    int ws = t.backendVertx.createHttpServer(tlsOptions(plainCert))
        .webSocketHandler(w -> w.textMessageHandler(m -> w.writeTextMessage("echo " + m)))
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    String ca = "caFile: \"" + pki.caFile() + "\"";
    String cert = "certFile: \"" + gatewayClient.certFile() + "\", keyFile: \"" + gatewayClient.keyFile() + "\"";
    t.startGateway("""
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
          withCa: {endpoints: [{url: "https://127.0.0.1:%1$d"}], tls: {%4$s}}
          noTls: {endpoints: [{url: "https://127.0.0.1:%1$d"}]}
          otherCa: {endpoints: [{url: "https://127.0.0.1:%1$d"}], tls: {caFile: "%6$s"}}
          mtls:
            endpoints: [{url: "https://127.0.0.1:%2$d"}]
            tls: {%4$s, %5$s}
            healthCheck: {path: /health, interval: 100ms}
          mtlsNoCert: {endpoints: [{url: "https://127.0.0.1:%2$d"}], tls: {%4$s}}
          unchecked:
            endpoints: [{url: "https://127.0.0.1:%2$d"}]
            tls: {%4$s}
            healthCheck: {path: /health, interval: 100ms, unhealthyThreshold: 1}
          ws: {endpoints: [{url: "https://127.0.0.1:%7$d"}], tls: {%4$s}}
        routes:
        """.formatted(tls, mtls, 0, ca, cert, otherPki.caFile(), ws)
        + route("withCa") + route("noTls") + route("otherCa") + route("mtls") + route("mtlsNoCert")
        + route("unchecked") + route("ws"));
  }

  private static String route(String service) {
    return "  - {id: " + service + ", match: {path: /" + service + "/**}, service: " + service + ", stripPrefix: /"
        + service + "}\n";
  }

  private static HttpServerOptions tlsOptions(TestCertificates.Issued cert) {
    return new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.certFile().toString())
            .setKeyPath(cert.keyFile().toString()));
  }

  private static int httpsBackend(HttpServerOptions options, Handler<HttpServerRequest> handler) throws Exception {
    return t.backendVertx.createHttpServer(options).requestHandler(handler).listen()
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (t != null) {
      t.close();
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(t.url(path))).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * 502: the handshake failed. With TLS 1.2, and with TLS 1.3 when the gateway refuses the
   * service's certificate, the connection never opens (upstream_unavailable); with TLS 1.3 a server
   * refuses a missing client certificate only after the client's handshake has finished, so the
   * request was sent and the connection closes under it (upstream_failed).
   */
  private static void assertRefused(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertEquals(502, r.statusCode(), path + ": " + r.body());
    assertTrue(r.body().contains("upstream_unavailable") || r.body().contains("upstream_failed"), r.body());
  }

  @Test
  void privateCaIsTrustedOnlyWhereConfigured() throws Exception {
    HttpResponse<String> ok = get("/withCa/a");
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("tls /a", ok.body());
    assertRefused("/noTls/a"); // the JDK's trust store does not know the test CA
    assertRefused("/otherCa/a");
  }

  @Test
  void mutualTlsPresentsTheClientCertificate() throws Exception {
    HttpResponse<String> ok = get("/mtls/x");
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("mtls CN=citizen-gateway", ok.body());
    assertRefused("/mtlsNoCert/x");
  }

  @Test
  void healthChecksUseTheServiceTlsSettings() throws Exception {
    assertTrue(TestGateway.eventually(5000, () -> healthChecksWithClientCert.get() >= 3),
        "health checks reach the mTLS service with the client certificate");
    // Same endpoint, no client certificate: its checks fail, so it takes no traffic.
    assertTrue(TestGateway.eventually(5000, () -> {
      try {
        return get("/unchecked/x").statusCode() == 503;
      } catch (Exception e) {
        return false;
      }
    }), "the endpoint is out after failing its checks");
    assertEquals(200, get("/mtls/x").statusCode(), "while the service with the certificate is in");
  }

  /**
   * One service turning hostname verification off must not turn it off for another with the same
   * trust. Vert.x 5.0 caches SSL contexts (per client, so per event loop here) by trust and key
   * options only, not by the verification setting: in a fresh gateway, the unverified service is
   * asked first, on the same client connection (so the same event loop), and the verified one must
   * still refuse the mismatched name.
   */
  @Test
  void serverNameAndHostnameVerificationArePerService() throws Exception {
    try (TestGateway own = TestGateway.create()) {
      int named = own.backendVertx.createHttpServer(tlsOptions(namedCert).setSni(true)).requestHandler(req -> {
        sniSeen.add(String.valueOf(req.connection().indicatedServerName()));
        req.response().end("named host=" + req.getHeader("Host"));
      }).listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
      String ca = "caFile: \"" + pki.caFile() + "\"";
      own.startGateway("""
          server: {host: 127.0.0.1, port: 0}
          admin: {host: 127.0.0.1, port: 0}
          services:
            unverified: {endpoints: [{url: "https://127.0.0.1:%1$d"}], tls: {%2$s, verifyHostname: false}}
            wrongName: {endpoints: [{url: "https://127.0.0.1:%1$d"}], tls: {%2$s}}
            named: {endpoints: [{url: "https://127.0.0.1:%1$d"}], tls: {%2$s, serverName: patients.internal}}
          routes:
          """.formatted(named, ca) + route("unverified") + route("wrongName") + route("named"));
      HttpClient oneConnection = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> unverified = send(oneConnection, own.url("/unverified/x"));
      assertEquals(200, unverified.statusCode(), unverified.body());
      HttpResponse<String> wrongName = send(oneConnection, own.url("/wrongName/x"));
      assertEquals(502, wrongName.statusCode(), "the certificate names patients.internal, not 127.0.0.1: "
          + wrongName.body());
      HttpResponse<String> ok = send(oneConnection, own.url("/named/x"));
      assertEquals(200, ok.statusCode(), ok.body());
      assertEquals("named host=127.0.0.1:" + named, ok.body(),
          "serverName is for TLS only; the Host header stays the endpoint's");
      assertTrue(sniSeen.contains("patients.internal"), "SNI carried serverName: " + sniSeen);
    }
  }

  private static HttpResponse<String> send(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void webSocketTunnelsUseTheServiceTlsSettings() throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    // Kept in a variable: an unreferenced Vert.x 5 client is closed by its Cleaner when collected.
    WebSocketClient client = t.backendVertx.createWebSocketClient();
    WebSocket ws = client.connect(new WebSocketConnectOptions()
            .setHost("127.0.0.1").setPort(t.port()).setURI("/ws/chat"))
        .onSuccess(w -> w.textMessageHandler(received::add))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    ws.writeTextMessage("over tls");
    assertEquals("echo over tls", received.poll(5, TimeUnit.SECONDS));
    ws.close();
    client.close();
  }
}
