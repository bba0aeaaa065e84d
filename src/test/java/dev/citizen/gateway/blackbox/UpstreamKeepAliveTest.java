package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Upstream connections are pooled and kept alive: the gateway holds at most one idle connection
 * per event loop for sequential traffic, instead of a connection per request.
 */
@Timeout(60)
class UpstreamKeepAliveTest {
  private static final int REQUESTS = 50;
  /** The gateway deploys one listener and one upstream client per available processor. */
  private static final int EVENT_LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors());

  /**
   * Starts {@code t}'s gateway in front of a service answering with {@code handler}; returns the
   * count of TCP connections the service accepts.
   */
  private static AtomicInteger startGatewayCountingUpstreamConnections(TestGateway t,
      Handler<HttpServerRequest> handler) throws Exception {
    AtomicInteger connections = new AtomicInteger();
    int backend = t.httpBackend(conn -> connections.incrementAndGet(), handler);
    t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
    return connections;
  }

  private static void assertAtMostOneUpstreamConnectionPerEventLoop(AtomicInteger connections) {
    assertTrue(connections.get() <= EVENT_LOOPS,
        connections.get() + " upstream connections for " + REQUESTS + " sequential requests");
  }

  @Test
  void sequentialRequestsOnOneClientConnectionReuseUpstreamConnections() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      AtomicInteger requests = new AtomicInteger();
      AtomicInteger connections = startGatewayCountingUpstreamConnections(t, req -> {
        requests.incrementAndGet();
        req.response().end("ok");
      });
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < REQUESTS; i++) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(t.url("/k/" + i)))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
      }
      assertEquals(REQUESTS, requests.get());
      assertAtMostOneUpstreamConnectionPerEventLoop(connections);
    }
  }

  /**
   * A new client connection per request, closed by the client right after its response: spreads
   * over every event loop, and the client's close must not take the pooled upstream connection
   * with it.
   */
  @Test
  void clientsClosingTheirConnectionDoNotCloseUpstreamConnections() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      AtomicInteger requests = new AtomicInteger();
      AtomicInteger connections = startGatewayCountingUpstreamConnections(t, req -> {
        requests.incrementAndGet();
        req.response().end("ok");
      });
      for (int i = 0; i < REQUESTS; i++) {
        try (RawHttp c = new RawHttp(t.port())) {
          c.send("GET /c/" + i + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
          String r = c.readUntilClose(5000);
          assertEquals(200, RawHttp.statusOf(r), r);
          assertTrue(r.endsWith("ok"), r);
        }
      }
      assertEquals(REQUESTS, requests.get());
      assertAtMostOneUpstreamConnectionPerEventLoop(connections);
    }
  }

  /** The same with request bodies, which take another path through the proxy. */
  @Test
  void sequentialPostsReuseUpstreamConnections() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      AtomicInteger connections = startGatewayCountingUpstreamConnections(t,
          req -> req.body().onSuccess(b -> req.response().end(b)));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < REQUESTS; i++) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(t.url("/p/" + i)))
            .POST(HttpRequest.BodyPublishers.ofString("body-" + i))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("body-" + i, r.body());
      }
      assertAtMostOneUpstreamConnectionPerEventLoop(connections);
    }
  }
}
