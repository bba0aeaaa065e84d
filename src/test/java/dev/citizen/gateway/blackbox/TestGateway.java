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
 *
 * <p>The admin API needs a bearer token: a config whose {@code admin: {...}} mapping sets none gets
 * {@link #ADMIN_TOKEN}, which {@link AdminApi} sends. {@link #startGatewayAsWritten} leaves the
 * config alone (for tests of the admin lock itself).
 */
final class TestGateway implements AutoCloseable {
  /** The admin token of every test gateway whose config names none. */
  static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  private static final java.util.regex.Pattern ADMIN_FLOW = java.util.regex.Pattern.compile("(?m)^admin: \\{([^}\\n]*)\\}");

  final Vertx gatewayVertx;
  final Vertx backendVertx;
  final Path configFile;
  Gateway gateway;
  private final java.util.Map<Integer, HttpServer> servers = new java.util.concurrent.ConcurrentHashMap<>();

  private TestGateway(Path configFile) {
    this.gatewayVertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    this.backendVertx = Vertx.vertx();
    this.configFile = configFile;
  }

  /** A harness with backends but no gateway yet: start backends, then {@link #startGateway}. */
  static TestGateway create() throws IOException {
    return new TestGateway(Files.createTempFile("gateway-test", ".yaml"));
  }

  /**
   * Starts the gateway from {@code yaml} (with {@link #ADMIN_TOKEN} if its admin mapping sets no
   * token); the file is re-read every 100 ms for reload tests.
   */
  TestGateway startGateway(String yaml) throws Exception {
    return startGatewayAsWritten(withAdminToken(yaml));
  }

  /** Starts the gateway from {@code yaml} exactly as written: no admin token is added. */
  TestGateway startGatewayAsWritten(String yaml) throws Exception {
    Files.writeString(configFile, yaml, StandardCharsets.UTF_8);
    gateway = Gateway.start(gatewayVertx, configFile, new ConfigLoader(), 100)
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    return this;
  }

  /** Replaces the config file atomically, as an operator's tooling would. */
  void rewriteConfig(String yaml) throws IOException {
    Path tmp = Files.createTempFile(configFile.getParent(), "gateway-test", ".tmp");
    Files.writeString(tmp, withAdminToken(yaml), StandardCharsets.UTF_8);
    Files.move(tmp, configFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** {@code yaml} with {@link #ADMIN_TOKEN} added to a one-line {@code admin: {...}} that sets no token. */
  static String withAdminToken(String yaml) {
    java.util.regex.Matcher m = ADMIN_FLOW.matcher(yaml);
    if (!m.find() || m.group(1).contains("token")) {
      return yaml;
    }
    String inner = m.group(1).trim();
    return yaml.substring(0, m.start()) + "admin: {" + inner + (inner.isEmpty() ? "" : ", ") + "token: "
        + ADMIN_TOKEN + "}" + yaml.substring(m.end());
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
    return httpBackend(handler, 0);
  }

  /** A real HTTP backend on {@code port} (0: ephemeral), e.g. to bring a closed one back; returns its port. */
  int httpBackend(Handler<HttpServerRequest> handler, int port) throws Exception {
    HttpServer server = backendVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
        .requestHandler(handler);
    int actual = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    servers.put(actual, server);
    return actual;
  }

  /** Stops the backend on {@code port}: its listener and its open connections close. */
  void closeBackend(int port) throws Exception {
    HttpServer server = servers.remove(port);
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** A raw TCP backend, for services that misbehave (slow, reset, malformed); returns its port. */
  int tcpBackend(Handler<NetSocket> handler) throws Exception {
    NetServer server = backendVertx.createNetServer().connectHandler(handler);
    return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
  }

  /**
   * A free loopback port (bound then released), for a process that must be told its port before
   * it starts. Not for "a service that is down": released, the port can be handed to the next
   * socket bound to port 0, a gateway's own listener included ({@link #refusingPort}).
   */
  static int freePort() throws IOException {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Sockets that hold {@link #refusingPort}s for the life of the test JVM. */
  private static final java.util.List<java.net.Socket> HELD = new java.util.ArrayList<>();

  /**
   * A loopback port where connections are refused, for a service that is down: bound but never
   * listening, and held so for the life of the test JVM, so no other socket can be given it. A
   * port bound and released once came back as the gateway's own listener port: the gateway under
   * test proxied the "down" service's request to itself, again and again, and the client waited.
   */
  static synchronized int refusingPort() throws IOException {
    var s = new java.net.Socket();
    s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
    HELD.add(s);
    return s.getLocalPort();
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

  /**
   * A backend that records what reaches it: every request head ({@link RecordingBackend#started}),
   * every request whose body arrived completely ({@link RecordingBackend#completed}), with method,
   * URI and body size. Answers 200 with header {@code X-Backend: name}, the request URI in
   * {@code X-Seen-Uri} and the body {@code name}, after {@code delayMillis} (0: at once).
   */
  RecordingBackend recordingBackend(String name, long delayMillis) throws Exception {
    RecordingBackend b = new RecordingBackend(name);
    b.port = httpBackend(req -> {
      b.started.incrementAndGet();
      String uri = req.uri();
      req.body().onComplete(ar -> {
        if (ar.failed()) {
          b.failed.incrementAndGet();
          return;
        }
        b.received.add(new RecordingBackend.Seen(req.method().name(), uri, ar.result().length(),
            req.headers().get("Host")));
        b.completed.incrementAndGet();
        Runnable answer = () -> req.response().putHeader("X-Backend", name).putHeader("X-Seen-Uri", uri)
            .end(name);
        if (delayMillis > 0) {
          backendVertx.setTimer(delayMillis, id -> answer.run());
        } else {
          answer.run();
        }
      });
    });
    return b;
  }

  RecordingBackend recordingBackend(String name) throws Exception {
    return recordingBackend(name, 0);
  }

  /** What a {@link #recordingBackend} saw; safe to read from the test thread. */
  static final class RecordingBackend {
    /** One request whose body arrived completely. */
    record Seen(String method, String uri, int bodyBytes, String host) {}

    final String name;
    volatile int port;
    final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger completed = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.Queue<Seen> received = new java.util.concurrent.ConcurrentLinkedQueue<>();

    RecordingBackend(String name) {
      this.name = name;
    }

    /** URIs of the completed requests, in arrival order. */
    java.util.List<String> uris() {
      return received.stream().map(Seen::uri).toList();
    }
  }

  /** A YAML flow-mapping service entry with one endpoint on loopback {@code port}. */
  static String service(String name, int port) {
    return "  " + name + ":\n    endpoints: [{url: \"http://127.0.0.1:" + port + "\"}]\n"
        + "    timeouts: {connect: 1s, response: 5s}\n";
  }

  /** Polls {@code condition} every 20 ms until it holds or {@code timeoutMillis} passed. */
  static boolean eventually(long timeoutMillis, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  /**
   * {@link #simpleConfig} with the given upstream timeouts: generous ones for tests that are not
   * about timeouts (so a loaded machine cannot turn a slow connect into a 504), short ones for
   * tests that are.
   */
  static String simpleConfig(int backendPort, String connect, String response) {
    return simpleConfig(backendPort).replace("timeouts: {connect: 1s, response: 2s}",
        "timeouts: {connect: " + connect + ", response: " + response + "}");
  }

  /** {@link #simpleConfig(int, String, String)} with a {@code maxBodyBytes} limit (e.g. "1MiB") on the route. */
  static String simpleConfig(int backendPort, String connect, String response, String maxBodyBytes) {
    return simpleConfig(backendPort, connect, response) + "    maxBodyBytes: " + maxBodyBytes + "\n";
  }

  /**
   * A real HTTP backend that also sees every accepted TCP connection (e.g. to count how many
   * upstream connections the gateway opens); returns its port.
   */
  int httpBackend(Handler<io.vertx.core.http.HttpConnection> onConnection, Handler<HttpServerRequest> handler)
      throws Exception {
    HttpServer server = backendVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .connectionHandler(onConnection)
        .requestHandler(handler);
    return server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  /**
   * A raw TCP backend for GET/HEAD-style requests without bodies: for every complete request head
   * on a connection it writes {@code answer.apply(head)} verbatim (ISO-8859-1); a null answer
   * writes nothing and closes. Lets a test send headers or framing a real server would not.
   */
  int rawHttpBackend(java.util.function.Function<String, String> answer) throws Exception {
    return tcpBackend(sock -> {
      StringBuilder pending = new StringBuilder();
      sock.handler(buf -> {
        pending.append(buf.toString(StandardCharsets.ISO_8859_1));
        int end;
        while ((end = pending.indexOf("\r\n\r\n")) >= 0) {
          String head = pending.substring(0, end + 4);
          pending.delete(0, end + 4);
          String out = answer.apply(head);
          if (out == null) {
            sock.close();
            return;
          }
          sock.write(io.vertx.core.buffer.Buffer.buffer(out.getBytes(StandardCharsets.ISO_8859_1)));
        }
      });
    });
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
