package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WebSocket upgrades pass through the gateway both ways; refused upgrades reach the client. */
@Timeout(30)
class WebSocketTest {

  /** A WebSocket echo backend that greets first; text stays text, binary stays binary. */
  private static int echoBackend(TestGateway t, BlockingQueue<String> seenHeaders) throws Exception {
    return t.backendVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .webSocketHandler(ws -> {
          seenHeaders.add(ws.path() + "?" + ws.query() + " xff=" + ws.headers().get("X-Forwarded-For")
              + " rid=" + ws.headers().get("X-Request-Id"));
          ws.textMessageHandler(ws::writeTextMessage);
          ws.binaryMessageHandler(ws::writeBinaryMessage);
          ws.writeTextMessage("welcome");
        })
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  private static WebSocketConnectOptions to(TestGateway t, String uri) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(t.port()).setURI(uri)
        .addHeader("X-Request-Id", "ws-1").addHeader("X-Forwarded-For", "1.2.3.4");
  }

  @Test
  void textAndBinaryFramesAreEchoedAndTheBackendMaySpeakFirst() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      BlockingQueue<String> seen = new LinkedBlockingQueue<>();
      int backend = echoBackend(t, seen);
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      WebSocketClient client = t.backendVertx.createWebSocketClient();
      BlockingQueue<Object> received = new LinkedBlockingQueue<>();
      CompletableFuture<Void> closed = new CompletableFuture<>();
      WebSocket ws = client.connect(to(t, "/ws/chat?room=a%20b"))
          .onSuccess(w -> {
            w.textMessageHandler(received::add);
            w.binaryMessageHandler(received::add);
            w.closeHandler(v -> closed.complete(null));
          })
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

      assertEquals("welcome", received.poll(5, TimeUnit.SECONDS), "the backend's first message");
      // The client's own X-Forwarded-For (1.2.3.4) is not passed on: 127.0.0.1 is no trusted proxy.
      assertEquals("/ws/chat?room=a%20b xff=127.0.0.1 rid=ws-1", seen.poll(5, TimeUnit.SECONDS));

      ws.writeTextMessage("héllo");
      assertEquals("héllo", received.poll(5, TimeUnit.SECONDS));

      byte[] small = {0, 1, 2, (byte) 0xff, (byte) 0x80};
      ws.writeBinaryMessage(Buffer.buffer(small));
      Object echoed = received.poll(5, TimeUnit.SECONDS);
      assertInstanceOf(Buffer.class, echoed);
      assertArrayEquals(small, ((Buffer) echoed).getBytes());

      // Larger than one frame (64 KiB by default), so it is fragmented and flows through the
      // tunnel in several reads.
      byte[] big = new byte[200 * 1024];
      new Random(42).nextBytes(big);
      ws.writeBinaryMessage(Buffer.buffer(big));
      Object bigEcho = received.poll(10, TimeUnit.SECONDS);
      assertNotNull(bigEcho);
      assertArrayEquals(big, ((Buffer) bigEcho).getBytes());

      for (int i = 0; i < 100; i++) {
        ws.writeTextMessage("m" + i);
      }
      for (int i = 0; i < 100; i++) {
        assertEquals("m" + i, received.poll(5, TimeUnit.SECONDS));
      }

      ws.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      closed.get(5, TimeUnit.SECONDS);
    }
  }

  /**
   * A route with every filter that changes responses (CORS, rate limit, auth, auto-ban, client
   * lists): the upgrade passes them, the tunnel works, and a second upgrade over the limit is 429.
   * The tunnel completes the chain with no response to change; the filters must allow for that.
   */
  @Test
  void upgradesRunTheRoutesFiltersAndTunnelThroughThem() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      BlockingQueue<String> seen = new LinkedBlockingQueue<>();
      int backend = echoBackend(t, seen);
      String key = "ws-client-key-0123456789";
      String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s").replace("service: backend", """
          service: backend
              cors: {allowOrigins: ["https://app.example.org"]}
              rateLimit: {requests: 1, per: 1m}
              clients: {allow: [127.0.0.1/32], blockBots: true}
              auth: {apiKeys: {keys: [{id: ws, sha256: "%s"}]}}""".formatted(hash)));
      WebSocketClient client = t.backendVertx.createWebSocketClient();
      BlockingQueue<Object> received = new LinkedBlockingQueue<>();
      WebSocket ws = client.connect(to(t, "/ws/chat").addHeader("X-API-Key", key)
              .addHeader("Origin", "https://app.example.org").addHeader("User-Agent", "ward-app/1.0"))
          .onSuccess(w -> w.textMessageHandler(received::add))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals("welcome", received.poll(5, TimeUnit.SECONDS));
      ws.writeTextMessage("through the filters");
      assertEquals("through the filters", received.poll(5, TimeUnit.SECONDS));

      String again = RawHttp.exchange(t.port(), "GET /ws/chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "User-Agent: ward-app/1.0\r\nX-API-Key: " + key + "\r\n\r\n", 5000);
      assertEquals(429, RawHttp.statusOf(again), again);
      ws.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void backendClosingTheWebSocketClosesTheClient() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.backendVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .webSocketHandler(ws -> ws.textMessageHandler(m -> ws.writeTextMessage("bye " + m)
              .onComplete(v -> ws.close((short) 4000, "done"))))
          .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      WebSocketClient client = t.backendVertx.createWebSocketClient();
      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      CompletableFuture<Short> closedWith = new CompletableFuture<>();
      WebSocket ws = client.connect(to(t, "/ws"))
          .onSuccess(w -> {
            w.textMessageHandler(received::add);
            w.closeHandler(v -> closedWith.complete(w.closeStatusCode()));
          })
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      ws.writeTextMessage("x");
      assertEquals("bye x", received.poll(5, TimeUnit.SECONDS));
      assertEquals((short) 4000, closedWith.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void refusedUpgradeReachesTheClient() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      // No WebSocket handler: the upgrade request is an ordinary request, answered 403.
      int backend = t.httpBackend(req -> req.response().setStatusCode(403).end("no websockets here"));
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      WebSocketClient client = t.backendVertx.createWebSocketClient();
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> client.connect(to(t, "/ws")).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
      assertInstanceOf(UpgradeRejectedException.class, e.getCause());
      assertEquals(403, ((UpgradeRejectedException) e.getCause()).getStatus());
    }
  }

  @Test
  void refusedUpgradeClosesTheConnection() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().setStatusCode(403).end("no websockets here"));
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
      try (RawHttp c = new RawHttp(t.port())) {
        c.send("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        String all = c.readUntilClose(5000);
        assertEquals(403, RawHttp.statusOf(all), all);
        assertTrue(all.contains("no websockets here"), all);
        assertTrue(!all.endsWith("<<timeout>>"), "the connection stayed open: " + all);
        assertNotNull(RawHttp.headerOf(all, "X-Request-Id"));
      }
    }
  }

  @Test
  void unreachableWebSocketBackendIs502() throws Exception {
    int closed = TestGateway.refusingPort();
    try (TestGateway t = TestGateway.create()) {
      t.startGateway(TestGateway.simpleConfig(closed, "5s", "10s"));
      try (RawHttp c = new RawHttp(t.port())) {
        c.send("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        String all = c.readUntilClose(5000);
        assertEquals(502, RawHttp.statusOf(all), all);
        assertEquals("application/problem+json", RawHttp.headerOf(all, "Content-Type"));
        assertTrue(!all.endsWith("<<timeout>>"), all);
      }
    }
  }

  @Test
  void silentWebSocketBackendIs504WithinTheResponseTimeout() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.tcpBackend(sock -> sock.handler(buf -> { })); // reads the upgrade, never answers
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "300ms"));
      long start = System.nanoTime();
      try (RawHttp c = new RawHttp(t.port())) {
        c.send("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        String all = c.readUntilClose(5000);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(504, RawHttp.statusOf(all), all);
        assertEquals("application/problem+json", RawHttp.headerOf(all, "Content-Type"));
        assertTrue(!all.endsWith("<<timeout>>"), all);
        assertTrue(millis < 2000, "504 after " + millis + " ms");
      }
    }
  }

  @Test
  void webSocketConnectTimeoutIs504() throws Exception {
    try (StalledListener stalled = new StalledListener(); TestGateway t = TestGateway.create()) {
      org.junit.jupiter.api.Assumptions.assumeTrue(stalled.stalled,
          "this OS does not stall connects to a full accept queue");
      t.startGateway(TestGateway.simpleConfig(stalled.port(), "300ms", "10s"));
      try (RawHttp c = new RawHttp(t.port())) {
        c.send("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        String all = c.readUntilClose(5000);
        assertEquals(504, RawHttp.statusOf(all), all);
        assertTrue(!all.endsWith("<<timeout>>"), all);
      }
    }
  }
}
