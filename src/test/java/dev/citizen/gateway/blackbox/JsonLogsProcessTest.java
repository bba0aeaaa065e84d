package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the real {@code gateway run} process writes to stdout: every line one JSON object (startup,
 * access log, request-path debug lines alike), in UTF-8, and the lines about a request carry its
 * trace and request ids.
 */
@Timeout(60)
class JsonLogsProcessTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void everyLineOnStdoutIsJsonAndRequestLinesCarryTheTraceId() throws Exception {
    try (TestGateway backends = TestGateway.create()) {
      int backend = backends.backendVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .webSocketHandler(ws -> ws.writeTextMessage("bye").onComplete(v -> ws.close()))
          .requestHandler(req -> {
            if (req.path().startsWith("/reset")) {
              req.connection().close(); // the gateway's upstream request fails: 502
            } else {
              req.response().end("ok");
            }
          })
          .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
      try (GatewayProcess g = GatewayProcess.start(TestGateway.simpleConfig(backend, "2s", "5s"),
          Map.of("GATEWAY_LOG_LEVEL", "DEBUG"))) {
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + g.port + "/caf%C3%A9/Zo%C3%AB")).header("X-Request-Id", "req-ok").build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
        HttpResponse<String> reset = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + g.port + "/reset")).header("X-Request-Id", "req-reset").build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(502, reset.statusCode(), reset.body());
        // A WebSocket tunnel that the service ends: Vert.x reports the closed upstream connection
        // to WebSocketTunnel's exception handler, which logs it at DEBUG.
        String wsTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        CompletableFuture<Void> closed = new CompletableFuture<>();
        backends.backendVertx.createWebSocketClient().connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                .setPort(g.port).setURI("/ws").addHeader("X-Request-Id", "req-ws")
                .addHeader("traceparent", "00-" + wsTrace + "-00f067aa0ba902b7-01"))
            .onSuccess(ws -> ws.closeHandler(v -> closed.complete(null)))
            .onFailure(closed::completeExceptionally);
        closed.get(10, TimeUnit.SECONDS);
        assertTrue(TestGateway.eventually(10_000, () -> find(g, l -> "dev.citizen.gateway.proxy.WebSocketTunnel"
            .equals(l.getString("logger"))) != null), g.logTail());
        for (String id : new String[] {"req-ok", "req-reset", "req-ws"}) { // access lines are written async
          assertTrue(TestGateway.eventually(10_000, () -> find(g, l -> "access".equals(l.getString("logger"))
              && id.equals(l.getString("requestId"))) != null), id + ":\n" + g.logTail());
        }

        for (String line : Files.readAllLines(g.log, StandardCharsets.UTF_8)) {
          JsonObject o = parse(line, g);
          if (!"access".equals(o.getString("logger"))) {
            for (String field : new String[] {"timestamp", "level", "logger", "thread", "message"}) {
              assertTrue(o.containsKey(field), field + " missing: " + line);
            }
            assertTrue(o.getString("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), line);
          }
        }
        JsonObject started = find(g, l -> l.getString("message", "").startsWith("gateway listening on"));
        assertEquals("INFO", started.getString("level"));
        assertEquals("dev.citizen.gateway.server.Gateway", started.getString("logger"));

        JsonObject okLine = find(g, l -> "req-ok".equals(l.getString("requestId")));
        assertEquals("access", okLine.getString("logger"));
        assertEquals("/café/Zoë", okLine.getString("path"), "non-ASCII survives as UTF-8");
        assertEquals(ok.headers().firstValue("traceparent").orElseThrow().substring(3, 35),
            okLine.getString("traceId"));

        // The attempt's DEBUG line about the reset carries the request id too: take the access line.
        JsonObject resetLine = find(g, l -> "req-reset".equals(l.getString("requestId"))
            && "access".equals(l.getString("logger")));
        assertEquals(502, resetLine.getInteger("status"));
        assertEquals("upstream_failed", resetLine.getString("problem"));
        assertEquals(reset.headers().firstValue("traceparent").orElseThrow().substring(3, 35),
            resetLine.getString("traceId"));

        JsonObject tunnel = find(g, l -> "dev.citizen.gateway.proxy.WebSocketTunnel".equals(l.getString("logger")));
        assertEquals("DEBUG", tunnel.getString("level"));
        assertEquals(wsTrace, tunnel.getString("traceId"), tunnel.encode());
        assertEquals("req-ws", tunnel.getString("requestId"), tunnel.encode());
        assertTrue(tunnel.getString("message").startsWith("request req-ws upgrade: "), tunnel.encode());
        JsonObject wsLine = find(g, l -> "req-ws".equals(l.getString("requestId")) && l.containsKey("status"));
        assertEquals(101, wsLine.getInteger("status"));
        assertEquals(wsTrace, wsLine.getString("traceId"));
      }
    }
  }

  private static JsonObject parse(String line, GatewayProcess g) {
    try {
      return new JsonObject(line);
    } catch (DecodeException e) {
      fail("not a JSON object: " + line + "\n" + g.logTail());
      return null;
    }
  }

  /** The first stdout line, as JSON, that matches; null if none does. */
  private static JsonObject find(GatewayProcess g, Predicate<JsonObject> p) {
    List<JsonObject> all = new ArrayList<>();
    for (String line : g.logText().split("\n")) {
      if (line.startsWith("{") && line.endsWith("}")) {
        all.add(new JsonObject(line));
      }
    }
    return all.stream().filter(p).findFirst().orElse(null);
  }
}
