package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.config.ConfigLoader;
import dev.citizen.gateway.filter.waf.WafRuleSets;
import dev.citizen.gateway.server.Gateway;
import dev.citizen.gateway.waf.engine.RuleMatch;
import dev.citizen.gateway.waf.engine.WafOutcome;
import dev.citizen.gateway.waf.engine.WafRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The WAF filter on the real gateway, with a stand-in engine (it "matches" the word {@code attack}
 * in the target or the body, as rule 999001), so that what the filter does is tested apart from
 * the rules: the request the engine sees (raw target, headers in order, the body), 403 in block
 * mode and nothing in detect mode, the body replayed upstream byte for byte, 413 over the
 * inspection limit or the start inspected and the rest streamed, and one log line.
 */
@Timeout(60)
class WafFilterBlackBoxTest {
  private static TestGateway t;
  private static WafLogCapture log;
  private static final ConcurrentLinkedQueue<WafRequest> seen = new ConcurrentLinkedQueue<>();
  /** What the backend received: method uri body (as ISO-8859-1 text). */
  private static final ConcurrentLinkedQueue<String[]> reached = new ConcurrentLinkedQueue<>();
  private static Path crs;

  private static WafOutcome inspect(WafRequest r) {
    seen.add(r);
    String body = r.body() == null ? "" : new String(r.body(), StandardCharsets.ISO_8859_1);
    if (r.uri().contains("attack") || body.contains("attack")) {
      return new WafOutcome(List.of(new RuleMatch(999001, "Attack word", null, "CRITICAL", List.of(),
          "ARGS:q", "an attack on patient 555-12-3456 with a very long tail of text after it")), true, 403, 999001);
    }
    return new WafOutcome(List.of(), false, 0, 0);
  }

  @BeforeAll
  static void start() throws Exception {
    crs = Files.createTempDirectory("crs");
    Files.writeString(Files.createDirectories(crs.resolve("rules")).resolve("REQUEST-901-INITIALIZATION.conf"), "#\n");
    Files.writeString(crs.resolve("crs-setup.conf"), "#\n");
    t = TestGateway.create();
    int backend = t.httpBackend(req -> req.body().onSuccess(b -> {
      reached.add(new String[] {req.method().name(), req.uri(), b.toString(StandardCharsets.ISO_8859_1)});
      req.response().end("ok");
    }));
    String yaml = """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        waf: {crsDir: "%s", crsSetup: "%s", bodyLimit: 1KiB}
        services:
        %s
        routes:
          - id: blocking
            match: {path: /block/**}
            service: b
            waf: {mode: block}
          - id: detecting
            match: {path: /detect/**}
            service: b
            waf: {mode: detect}
          - id: partial
            match: {path: /partial/**}
            service: b
            waf: {mode: block, paranoiaLevel: 2}
          - id: plain
            match: {path: /plain/**}
            service: b
            waf: {mode: off}
        """.formatted(crs, crs.resolve("crs-setup.conf"), TestGateway.service("b", backend));
    // The partial route differs by paranoia level only to get its own settings; the body action is
    // gateway-wide, so partial inspection gets a gateway of its own below.
    WafRuleSets sets = new WafRuleSets((before, files, after) -> WafFilterBlackBoxTest::inspect);
    t.gateway = Gateway.start(t.gatewayVertx, new ConfigLoader(n -> null).parse(TestGateway.withAdminToken(yaml),
        "waf.yaml"), sets).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    log = new WafLogCapture();
  }

  @AfterAll
  static void stop() throws Exception {
    log.close();
    t.close();
  }

  @BeforeEach
  void clear() {
    seen.clear();
    reached.clear();
    log.lines.clear();
  }

  private static String send(String request) throws Exception {
    return RawHttp.exchange(t.port(), request, 5000);
  }

  @Test
  void theEngineSeesTheRawTargetTheHeadersInOrderAndTheClient() throws Exception {
    String r = send("GET /detect/a%20b/../c?x=%27%20or%201&y HTTP/1.1\r\nHost: gw.test\r\nX-Zeta: 1\r\n"
        + "accept: */*\r\nX-Alpha: caf\u00e9\r\nX-Zeta: 2\r\nConnection: close\r\n\r\n");
    assertEquals(200, RawHttp.statusOf(r), r);
    WafRequest w = seen.poll();
    assertEquals("GET", w.method());
    assertEquals("/detect/a%20b/../c?x=%27%20or%201&y", w.uri(), "the target as sent, not normalised");
    assertEquals("HTTP/1.1", w.protocol());
    assertEquals(List.of(Map.entry("Host", "gw.test"), Map.entry("X-Zeta", "1"), Map.entry("accept", "*/*"),
        Map.entry("X-Alpha", "caf\u00e9"), Map.entry("X-Zeta", "2"), Map.entry("Connection", "close")), w.headers());
    assertNull(w.body());
    assertEquals("127.0.0.1", w.remoteAddress());
    assertTrue(w.remotePort() > 0);
    assertEquals(t.port(), w.serverPort());
  }

  @Test
  void blockModeAnswers403WithAnIncidentAndTheServiceNeverSeesIt() throws Exception {
    String r = send("GET /block/x?q=attack HTTP/1.1\r\nHost: gw.test\r\nX-Request-Id: incident-42\r\n"
        + "Connection: close\r\n\r\n");
    assertEquals(403, RawHttp.statusOf(r), r);
    JsonObject problem = new JsonObject(RawHttp.bodyOf(r));
    assertEquals("waf_blocked", problem.getString("code"));
    assertEquals("incident-42", problem.getString("requestId"));
    assertTrue(problem.getString("detail").contains("incident-42"), problem.encode());
    assertTrue(RawHttp.headerOf(r, "Content-Type").startsWith("application/problem+json"));
    assertTrue(reached.isEmpty());
    List<WafLogCapture.Line> lines = log.forRequest("incident-42");
    assertEquals(1, lines.size());
    WafLogCapture.Line l = lines.get(0);
    assertEquals("WARN", l.level());
    assertEquals("blocking", l.field("route"));
    assertEquals("block", l.field("mode"));
    assertEquals("blocked", l.field("action"));
    assertEquals(List.of("999001"), l.ruleIds());
    assertTrue(l.field("messages").contains("999001 Attack word"), l.field("messages"));
    String matched = l.field("matched");
    assertTrue(matched.startsWith("999001 ARGS:q=an attack on patient [id]"), matched);
    assertFalse(matched.contains("555-12-3456"), "personal data is masked");
    assertFalse(matched.contains("very long tail"), "matched data is cut short: " + matched);
    assertTrue(l.field("traceId").matches("[0-9a-f]{32}"), l.field("traceId"));
  }

  @Test
  void detectModeLogsAndPasses() throws Exception {
    String r = send("GET /detect/x?q=attack HTTP/1.1\r\nHost: gw.test\r\nX-Request-Id: det-1\r\n"
        + "Connection: close\r\n\r\n");
    assertEquals(200, RawHttp.statusOf(r), r);
    assertEquals(1, reached.size());
    WafLogCapture.Line l = log.forRequest("det-1").get(0);
    assertEquals("INFO", l.level());
    assertEquals("detected", l.field("action"));
    assertEquals("detect", l.field("mode"));
  }

  @Test
  void aCleanRequestIsNotLogged() throws Exception {
    String r = send("GET /block/x?q=fine HTTP/1.1\r\nHost: gw.test\r\nX-Request-Id: clean-1\r\nConnection: close\r\n\r\n");
    assertEquals(200, RawHttp.statusOf(r), r);
    assertEquals(1, seen.size());
    assertTrue(log.forRequest("clean-1").isEmpty());
  }

  @Test
  void theInspectedBodyGoesUpstreamByteForByte() throws Exception {
    byte[] body = new byte[700];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    String r = send("POST /block/p HTTP/1.1\r\nHost: gw.test\r\nContent-Type: application/octet-stream\r\n"
        + "Content-Length: 700\r\nConnection: close\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1));
    assertEquals(200, RawHttp.statusOf(r), r);
    WafRequest w = seen.poll();
    assertArrayEquals(body, w.body());
    assertFalse(w.bodyTruncated());
    assertArrayEquals(body, reached.poll()[2].getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void aChunkedBodyIsInspectedAndReplayed() throws Exception {
    String r = send("POST /detect/c HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    assertEquals(200, RawHttp.statusOf(r), r);
    assertEquals("hello world", new String(seen.poll().body(), StandardCharsets.ISO_8859_1));
    assertEquals("hello world", reached.poll()[2]);
  }

  @Test
  void anAttackInTheBodyIsBlocked() throws Exception {
    String r = send("POST /block/p HTTP/1.1\r\nHost: gw.test\r\nContent-Type: application/json\r\n"
        + "Content-Length: 21\r\nConnection: close\r\n\r\n{\"note\": \"an attack\"}");
    assertEquals(403, RawHttp.statusOf(r), r);
    assertTrue(reached.isEmpty());
  }

  @Test
  void aBodyOverTheInspectionLimitIs413WhenRejecting() throws Exception {
    String big = "a".repeat(1025);
    String r = send("POST /block/p HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 1025\r\n\r\n" + big);
    assertEquals(413, RawHttp.statusOf(r), r);
    assertEquals("close", RawHttp.headerOf(r, "Connection"));
    assertTrue(new JsonObject(RawHttp.bodyOf(r)).getString("detail").contains("1024"));
    String chunked = send("POST /block/p HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "401\r\n" + big + "\r\n0\r\n\r\n");
    assertEquals(413, RawHttp.statusOf(chunked), chunked);
    assertTrue(reached.isEmpty());
    assertTrue(seen.isEmpty(), "nothing was inspected");
  }

  @Test
  void offMeansNoInspection() throws Exception {
    String r = send("GET /plain/x?q=attack HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n");
    assertEquals(200, RawHttp.statusOf(r), r);
    assertTrue(seen.isEmpty());
  }

  @Test
  void partialInspectionSeesTheStartAndForwardsTheWholeBody() throws Exception {
    String yaml = """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        waf: {crsDir: "%s", crsSetup: "%s", bodyLimit: 1KiB, bodyLimitAction: partial}
        services:
        %s
        routes:
          - id: partial
            match: {path: /**}
            service: b
            waf: {mode: block}
        """;
    int backend = t.httpBackend(req -> req.body().onSuccess(b -> {
      reached.add(new String[] {req.method().name(), req.uri(), b.toString(StandardCharsets.ISO_8859_1)});
      req.response().end("ok");
    }));
    Gateway g = Gateway.start(t.gatewayVertx, new ConfigLoader(n -> null).parse(TestGateway.withAdminToken(
        yaml.formatted(crs, crs.resolve("crs-setup.conf"), TestGateway.service("b", backend))), "waf.yaml"),
        new WafRuleSets((before, files, after) -> WafFilterBlackBoxTest::inspect))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    try {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; sb.length() < 300_000; i++) {
        sb.append(i).append(',');
      }
      String body = sb.toString();
      String r = RawHttp.exchange(g.port(), "POST /x HTTP/1.1\r\nHost: gw.test\r\nContent-Length: " + body.length()
          + "\r\nConnection: close\r\n\r\n" + body, 5000);
      assertEquals(200, RawHttp.statusOf(r), r);
      WafRequest w = seen.poll();
      assertTrue(w.bodyTruncated());
      assertEquals(body.substring(0, 1024), new String(w.body(), StandardCharsets.ISO_8859_1));
      assertEquals(body, reached.poll()[2], "the service gets the whole body");
      // An attack past the inspected start is not seen: that is what partial means.
      String late = "x".repeat(2000) + "attack";
      r = RawHttp.exchange(g.port(), "POST /x HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n"
          + "Connection: close\r\n\r\n" + Integer.toHexString(late.length()) + "\r\n" + late + "\r\n0\r\n\r\n", 5000);
      assertEquals(200, RawHttp.statusOf(r), r);
      assertEquals(late, reached.poll()[2]);
      // An attack within it is.
      String early = "attack" + "x".repeat(2000);
      r = RawHttp.exchange(g.port(), "POST /x HTTP/1.1\r\nHost: gw.test\r\nContent-Length: " + early.length()
          + "\r\n\r\n" + early, 5000);
      assertEquals(403, RawHttp.statusOf(r), r);
      assertEquals("close", RawHttp.headerOf(r, "Connection"), "the rest of the body is unread");
    } finally {
      g.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aLargeBodyIsEvaluatedOffTheEventLoopAndStillReplayed() throws Exception {
    // A gateway of its own, with a larger inspection limit, to record the inspecting threads.
    String yaml = """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        waf: {crsDir: "%s", crsSetup: "%s", bodyLimit: 64KiB}
        services:
        %s
        routes:
          - id: r
            match: {path: /**}
            service: b
            waf: {mode: block}
        """;
    int backend = t.httpBackend(req -> req.body().onSuccess(b -> {
      reached.add(new String[] {req.method().name(), req.uri(), b.toString(StandardCharsets.ISO_8859_1)});
      req.response().end("ok");
    }));
    ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
    Gateway g = Gateway.start(t.gatewayVertx, new ConfigLoader(n -> null).parse(TestGateway.withAdminToken(
        yaml.formatted(crs, crs.resolve("crs-setup.conf"), TestGateway.service("b", backend))), "waf.yaml"),
        new WafRuleSets((before, files, after) -> req -> {
          threads.add(Thread.currentThread().getName());
          if (req.body() != null && req.body().length == 30_000) {
            try {
              Thread.sleep(100); // long enough for the concurrent ones below to overlap
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return inspect(req);
        })).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    try {
      String body = "b".repeat(40_000);
      String r = RawHttp.exchange(g.port(), "PUT /x HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 40000\r\n"
          + "Connection: close\r\n\r\n" + body, 5000);
      assertEquals(200, RawHttp.statusOf(r), r);
      assertEquals(body, reached.poll()[2]);
      r = RawHttp.exchange(g.port(), "GET /x HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n", 5000);
      assertEquals(200, RawHttp.statusOf(r), r);
      // Just over the inline limit (512 bytes): a 2 KiB JSON body takes CRS a fifth of a millisecond.
      for (int size : new int[] {513, 512}) {
        r = RawHttp.exchange(g.port(), "PUT /x HTTP/1.1\r\nHost: gw.test\r\nContent-Length: " + size
            + "\r\nConnection: close\r\n\r\n" + "c".repeat(size), 5000);
        assertEquals(200, RawHttp.statusOf(r), r);
      }
      List<String> names = List.copyOf(threads);
      assertEquals(4, names.size(), names.toString());
      assertTrue(names.get(0).startsWith("citizen-waf-"), names.toString());
      assertTrue(names.get(1).contains("eventloop"), names.toString());
      assertTrue(names.get(2).startsWith("citizen-waf-"), names.toString());
      assertTrue(names.get(3).contains("eventloop"), names.toString());

      // The WAF's own pool has one thread per core: eight bodies at once are evaluated by at most
      // that many threads, the others wait their turn (Vert.x's worker pool would use eight).
      threads.clear();
      String big = "d".repeat(30_000);
      ExecutorService clients = Executors.newFixedThreadPool(8);
      try {
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          answers.add(clients.submit(() -> RawHttp.exchange(g.port(), "PUT /x HTTP/1.1\r\nHost: gw.test\r\n"
              + "Content-Length: 30000\r\nConnection: close\r\n\r\n" + big, 10_000)));
        }
        for (Future<String> a : answers) {
          assertEquals(200, RawHttp.statusOf(a.get(20, TimeUnit.SECONDS)));
        }
      } finally {
        clients.shutdownNow();
      }
      assertEquals(8, threads.size(), threads.toString());
      long distinct = threads.stream().distinct().count();
      assertTrue(threads.stream().allMatch(n -> n.startsWith("citizen-waf-")), threads.toString());
      assertTrue(distinct <= Runtime.getRuntime().availableProcessors(), threads.toString());
    } finally {
      g.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
