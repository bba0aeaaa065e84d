package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.tls.TestCertificates;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.net.PemTrustOptions;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 over TLS (ALPN h2) gets the routing, limits and streaming of HTTP/1.1: the same answers
 * as HTTP/1.1, gateway-made problems, 413/414/431, 32 MiB bodies both ways with backpressure, no
 * connection-specific headers on responses, and a GOAWAY when the gateway drains. Upstream calls
 * stay HTTP/1.1. The client is the JDK's HttpClient (h2 via ALPN) trusting the test CA, and Vert.x's
 * for the GOAWAY.
 */
@Timeout(120)
class Http2Test {
  private static final long BIG = 32L * 1024 * 1024;

  @TempDir
  static Path dir;
  static TestCertificates pki;
  static TestGateway t;
  static HttpClient h2;
  static HttpClient h1;
  static final AtomicReference<HttpVersion> upstreamVersion = new AtomicReference<>();
  static final AtomicInteger uploadsCompleted = new AtomicInteger();
  static final AtomicInteger upstreamConnections = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    pki = TestCertificates.create(dir);
    TestCertificates.Issued cert = pki.server("server");
    h2 = HttpClient.newBuilder().sslContext(pki.clientContext(null)).version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(5)).build();
    h1 = HttpClient.newBuilder().sslContext(pki.clientContext(null)).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    t = TestGateway.create();
    int backend = t.httpBackend(conn -> upstreamConnections.incrementAndGet(), Http2Test::backend);
    String yaml = TlsClients.gatewayConfig(backend, cert, "")
        .replace("match: {path: /**}", "match: {path: /api/**}")
        .replace("server: {host: 127.0.0.1, port: 0,", "server: {host: 127.0.0.1, port: 0, "
            + "limits: {maxHeaderBytes: 4KiB, maxUriBytes: 1KiB}, drain: {delay: 1s, timeout: 5s},")
        + "    maxBodyBytes: 64MiB\n"
        + "  - id: small\n    match: {path: /small/**}\n    service: backend\n    maxBodyBytes: 1MiB\n";
    t.startGateway(yaml);
  }

  @AfterAll
  static void stop() throws Exception {
    if (t != null) {
      t.close();
    }
  }

  /** /api/echo: what arrived; /api/upload: size and CRC of the body; /api/download?n: n pattern bytes. */
  private static void backend(HttpServerRequest req) {
    upstreamVersion.set(req.version());
    switch (req.path()) {
      case "/api/upload", "/small/upload" -> {
        CRC32 crc = new CRC32();
        AtomicLong count = new AtomicLong();
        boolean[] stalled = {false};
        req.handler(buf -> {
          crc.update(buf.getBytes());
          if (count.addAndGet(buf.length()) >= 4 * 1024 * 1024 && !stalled[0]) {
            stalled[0] = true; // stop reading for a moment: backpressure has to hold the client
            req.pause();
            t.backendVertx.setTimer(300, id -> req.resume());
          }
        });
        req.endHandler(v -> {
          uploadsCompleted.incrementAndGet();
          req.response().end(count.get() + " " + crc.getValue());
        });
      }
      case "/api/download" -> {
        req.response().putHeader("Content-Length", Long.toString(Long.parseLong(req.query())));
        StreamPattern.write(req.response(), Long.parseLong(req.query()));
      }
      default -> req.body().onSuccess(body -> req.response()
          .putHeader("Keep-Alive", "timeout=5")
          .putHeader("X-Echo", req.method() + " " + req.uri())
          .end(req.method() + " " + req.uri() + " proto=" + req.getHeader("X-Forwarded-Proto") + " body="
              + body.length()));
    }
  }

  private static URI uri(String path) {
    return URI.create("https://127.0.0.1:" + t.port() + path);
  }

  @Test
  void http2GetsTheSameAnswerAsHttp11() throws Exception {
    for (String path : List.of("/api/echo?a=1&b=%20x", "/api/x/../echo")) {
      HttpResponse<String> two = h2.send(HttpRequest.newBuilder(uri(path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(HttpClient.Version.HTTP_2, two.version());
      assertEquals(HttpVersion.HTTP_1_1, upstreamVersion.get(), "upstream calls stay HTTP/1.1");
      HttpResponse<String> one = h1.send(HttpRequest.newBuilder(uri(path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(HttpClient.Version.HTTP_1_1, one.version());
      assertEquals(one.statusCode(), two.statusCode());
      assertEquals(one.body(), two.body());
      assertEquals(one.headers().firstValue("x-echo"), two.headers().firstValue("x-echo"));
      assertTrue(two.body().contains("proto=https"), two.body());
      for (String forbidden : List.of("connection", "keep-alive", "transfer-encoding", "upgrade")) {
        assertTrue(two.headers().firstValue(forbidden).isEmpty(), forbidden + " on an h2 response: " + two.headers());
      }
      assertTrue(two.headers().firstValue("x-request-id").isPresent());
    }
    int connections = upstreamConnections.get();
    for (int i = 0; i < 20; i++) {
      assertEquals(200, h2.send(HttpRequest.newBuilder(uri("/api/echo?" + i)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
    }
    assertTrue(upstreamConnections.get() - connections <= 2, "upstream connections are kept alive for h2 "
        + "clients too: " + (upstreamConnections.get() - connections) + " new for 20 requests");
    HttpResponse<String> post = h2.send(HttpRequest.newBuilder(uri("/api/echo"))
        .POST(HttpRequest.BodyPublishers.ofString("0123456789")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("POST /api/echo proto=https body=10", post.body());
  }

  @Test
  void gatewayMadeErrorsAreProblemsOverHttp2() throws Exception {
    HttpResponse<String> r = h2.send(HttpRequest.newBuilder(uri("/nowhere")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, r.version());
    assertEquals(404, r.statusCode());
    assertEquals("application/problem+json", r.headers().firstValue("content-type").orElse(""));
    assertTrue(r.body().contains("\"code\":\"no_route\""), r.body());
  }

  /**
   * Over the route's limit: 413 from the head (Content-Length), or once the count of DATA bytes
   * passes it (no Content-Length); either way the stream is then reset with NO_ERROR, so the client
   * stops sending, and the connection carries on. Vert.x's client here: the JDK 17 HttpClient
   * ignores a RST_STREAM that follows a complete response and waits forever for flow-control
   * credit to send the rest of its body (nginx and Envoy reset such streams the same way).
   */
  @Test
  void bodiesOverTheRouteLimitGet413() throws Exception {
    int before = uploadsCompleted.get();
    HttpClientAgent client = h2Client();
    Buffer mib = Buffer.buffer(new byte[1024 * 1024]);
    RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(t.port())
        .setURI("/small/upload");
    AtomicReference<io.vertx.core.http.HttpConnection> first = new AtomicReference<>();
    String known = client.request(post).compose(req -> {
      first.set(req.connection());
      req.putHeader("Content-Length", Long.toString(8L * mib.length()));
      req.write(mib);
      return req.response().compose(r -> r.body().map(b -> r.statusCode() + " " + r.getHeader("connection") + " " + b));
    }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(known.startsWith("413 null "), known);
    assertTrue(known.contains("body_too_large"), known);

    CompletableFuture<Long> reset = new CompletableFuture<>();
    String streamed = client.request(post).compose(req -> {
      req.exceptionHandler(e -> {
        if (e instanceof StreamResetException sre) {
          reset.complete(sre.getCode());
        }
      });
      req.setChunked(true); // Vert.x's word for "no Content-Length"; h2 itself has no chunked coding
      for (int i = 0; i < 3; i++) {
        req.write(mib); // no Content-Length: the limit is found by counting; the request never ends
      }
      return req.response().compose(r -> r.body().map(b -> r.statusCode() + " " + r.getHeader("connection") + " "
          + b));
    }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(streamed.startsWith("413 null "), streamed);
    assertEquals(0L, reset.get(5, TimeUnit.SECONDS), "then the stream is reset with NO_ERROR");
    assertEquals(before, uploadsCompleted.get(), "no oversize body reached the service whole");

    AtomicReference<io.vertx.core.http.HttpConnection> last = new AtomicReference<>();
    String next = client.request(post).compose(req -> {
      last.set(req.connection());
      return req.send(Buffer.buffer("ok")).compose(r -> r.body().map(b -> r.statusCode() + " " + b));
    }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals("200 2 " + crc("ok"), next);
    assertTrue(first.get() == last.get(), "the same HTTP/2 connection carried on");
    client.close();
  }

  private static HttpClientAgent h2Client() throws Exception {
    return t.backendVertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setUseAlpn(true).setSsl(true).setTrustOptions(new PemTrustOptions().addCertPath(pki.caFile().toString())));
  }

  @Test
  void headAndTargetLimitsApplyToHttp2() throws Exception {
    HttpResponse<String> big = h2.send(HttpRequest.newBuilder(uri("/api/echo")).header("X-Big", "x".repeat(5000))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(431, big.statusCode(), big.body());
    assertTrue(big.body().contains("header_too_large"), big.body());
    HttpResponse<String> fits = h2.send(HttpRequest.newBuilder(uri("/api/echo")).header("X-Big", "x".repeat(3000))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, fits.statusCode());
    HttpResponse<String> longUri = h2.send(HttpRequest.newBuilder(uri("/api/" + "u".repeat(1100))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(414, longUri.statusCode(), longUri.body());
    assertTrue(longUri.body().contains("uri_too_long"), longUri.body());
  }

  @Test
  void largeBodiesStreamBothWays() throws Exception {
    HttpResponse<String> up = h2.send(HttpRequest.newBuilder(uri("/api/upload"))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> StreamPattern.stream(BIG)))
            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, up.version());
    assertEquals(200, up.statusCode(), up.body());
    assertEquals(BIG + " " + StreamPattern.crc(BIG), up.body());

    HttpResponse<InputStream> down = h2.send(HttpRequest.newBuilder(uri("/api/download?" + BIG))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(HttpClient.Version.HTTP_2, down.version());
    assertEquals(200, down.statusCode());
    CRC32 crc = new CRC32();
    long n = 0;
    try (InputStream in = down.body()) {
      byte[] buf = new byte[64 * 1024];
      for (int k; (k = in.read(buf)) >= 0; ) {
        crc.update(buf, 0, k);
        n += k;
        if (n >= 8L * 1024 * 1024 && n - k < 8L * 1024 * 1024) {
          Thread.sleep(300); // the client stalls: the gateway must hold the service back, not buffer
        }
      }
    }
    assertEquals(BIG, n);
    assertEquals(StreamPattern.crc(BIG), crc.getValue());
  }

  /** Runs last in its own gateway: a drain ends the gateway it runs on. */
  @Test
  void drainSendsGoAwayOnHttp2Connections() throws Exception {
    try (TestGateway own = TestGateway.create()) {
      int backend = own.httpBackend(req -> req.response().end("ok"));
      own.startGateway(TlsClients.gatewayConfig(backend, pki.server("drain"), "").replace(
          "server: {host: 127.0.0.1, port: 0,", "server: {host: 127.0.0.1, port: 0, drain: {delay: 5s, timeout: 5s},"));
      // shutdownHandler, not goAwayHandler: Vert.x 5.0's client copies the GOAWAY for the latter
      // into a buffer it never releases (the leak detector reports it).
      CompletableFuture<Void> goAway = new CompletableFuture<>();
      HttpClientAgent client = own.backendVertx.httpClientBuilder().with(new HttpClientOptions()
              .setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true).setSsl(true)
              .setTrustOptions(new PemTrustOptions().addCertPath(pki.caFile().toString())))
          .withConnectHandler(conn -> conn.shutdownHandler(v -> goAway.complete(null)))
          .build();
      RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
          .setPort(own.port()).setURI("/x");
      assertEquals("ok", send(client, get).toString());
      assertFalse(goAway.isDone());
      own.gateway.drain();
      assertEquals("ok", send(client, get).toString(), "served during the drain delay");
      // At once, not when the listener closes after the 5 s delay (its shutdown sends one too).
      goAway.get(2, TimeUnit.SECONDS);
    }
  }

  private static Buffer send(HttpClientAgent client, RequestOptions options) throws Exception {
    return client.request(options).compose(r -> r.send().compose(resp -> {
      assertEquals(HttpVersion.HTTP_2, resp.version());
      return resp.body();
    })).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static long crc(String s) {
    CRC32 c = new CRC32();
    c.update(s.getBytes());
    return c.getValue();
  }
}
