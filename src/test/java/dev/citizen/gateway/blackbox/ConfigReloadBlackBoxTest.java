package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live reload of the config file (the harness polls it every 100 ms): valid changes apply within
 * 2 s without failing a request, invalid ones are rejected while the old config keeps serving.
 */
@Timeout(60)
class ConfigReloadBlackBoxTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  @AutoClose
  private TestGateway t;
  private TestGateway.RecordingBackend a;
  private TestGateway.RecordingBackend b;
  private TestGateway.RecordingBackend slow;

  @BeforeEach
  void start() throws Exception {
    t = TestGateway.create();
    a = t.recordingBackend("a");
    b = t.recordingBackend("b");
    slow = t.recordingBackend("slow", 1000);
    t.startGateway(config(""));
  }

  /** Services a, b, slow; routes /a/** and /slow/**, plus {@code extraRoutes}. */
  private String config(String extraRoutes) {
    return config("", extraRoutes);
  }

  private String config(String serverExtra, String extraRoutes) {
    return """
        server:
          host: 127.0.0.1
          port: 0
        %s
        admin: {host: 127.0.0.1, port: 0}
        services:
        %s%s%s
        routes:
          - {id: a, match: {path: /a/**}, service: a}
          - {id: slow, match: {path: /slow/**}, service: slow}
        %s
        """.formatted(serverExtra, TestGateway.service("a", a.port), TestGateway.service("b", b.port),
        TestGateway.service("slow", slow.port), extraRoutes);
  }

  private static final String ROUTE_B = "  - {id: b, match: {path: /b/**}, service: b}\n";

  @Test
  void validChangeAppliesWithinTwoSecondsWithoutDroppingRequests() throws Exception {
    assertEquals(404, status("/b/x"));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread th = new Thread(() -> {
        while (running.get()) {
          try {
            int s = status("/a/loop");
            if (s == 200) {
              ok.incrementAndGet();
            } else {
              failures.add("status " + s);
            }
          } catch (Exception e) {
            failures.add(e.toString());
          }
        }
      }, "reload-client-" + i);
      th.start();
      clients.add(th);
    }
    try {
      Thread.sleep(300);
      // A request in flight across the reload (the slow service answers after 1 s).
      CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(request("/slow/inflight"),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(TestGateway.eventually(2000, () -> slow.started.get() == 1), "the slow request is in flight");

      long start = System.nanoTime();
      t.rewriteConfig(config(ROUTE_B));
      assertTrue(TestGateway.eventually(2000, () -> statusOrMinusOne("/b/x") == 200), "the new route applied");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 2000, "applied after " + millis + " ms");

      HttpResponse<String> r = inFlight.get(5, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode(), "the in-flight request completed");
      assertEquals("slow", r.body());
      Thread.sleep(300); // keep the clients going after the reload too
    } finally {
      running.set(false);
      for (Thread th : clients) {
        th.join(5000);
      }
    }
    assertEquals(List.of(), List.copyOf(failures), "no request failed across the reload");
    assertTrue(ok.get() > 20, "the clients really ran: " + ok.get());
    assertEquals("b", body("/b/x"));
    assertEquals("a", body("/a/x"), "the unchanged route still serves");
  }

  @Test
  void invalidChangesAreRejectedAndTheOldConfigKeepsServing() throws Exception {
    // Unknown key.
    t.rewriteConfig(config(ROUTE_B + "    pathh: /x\n"));
    assertOldConfigServes();
    // Route naming a service that does not exist.
    t.rewriteConfig(config("  - {id: b, match: {path: /b/**}, service: nope}\n"));
    assertOldConfigServes();
    // Bad path pattern (caught when compiling).
    t.rewriteConfig(config("  - {id: b, match: {path: /b/**/x}, service: b}\n"));
    assertOldConfigServes();
    // Broken YAML.
    t.rewriteConfig(config(ROUTE_B + "  - {id: c, match: {path: /c\n"));
    assertOldConfigServes();
    // Empty file.
    t.rewriteConfig("");
    assertOldConfigServes();

    t.rewriteConfig(config(ROUTE_B));
    assertTrue(TestGateway.eventually(2000, () -> statusOrMinusOne("/b/x") == 200),
        "a later valid change applies");
    assertEquals(200, status("/a/x"));
  }

  @Test
  void aRejectedChangeIsLoggedWithThePathOfTheBadKey() throws Exception {
    ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger)
        org.slf4j.LoggerFactory.getLogger("dev.citizen.gateway.server.ConfigReloader");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
        new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try {
      t.rewriteConfig(config("  - {id: b, match: {path: /b/**, pathh: /x}, service: b}\n"));
      assertTrue(TestGateway.eventually(2000, () -> seen.list.stream().anyMatch(e ->
              e.getLevel() == ch.qos.logback.classic.Level.ERROR
                  && e.getFormattedMessage().contains("routes[2].match.pathh: unknown key"))),
          "an ERROR naming routes[2].match.pathh; got " + seen.list);
      assertOldConfigServes();
    } finally {
      log.detachAppender(seen);
    }
  }

  @Test
  void observabilityChangesAreSaidToWaitForARestart() throws Exception {
    LogCapture logs = LogCapture.of("dev.citizen.gateway.server.ConfigReloader");
    try {
      t.rewriteConfig(config("") + "observability: {metrics: {enabled: false}}\n");
      assertTrue(TestGateway.eventually(2000, () -> !logs.matching(l -> l.message().contains(
          "observability settings apply after a restart")).isEmpty()), "warned");
      // Still on, as the warning says: metrics are built once at start.
      assertEquals(200, AdminApi.get(t.adminPort(), "/metrics").statusCode());
    } finally {
      logs.close();
    }
  }

  @Test
  void revertingToTheSameInvalidContentAfterAValidOneIsStillRejected() throws Exception {
    String bad = config("  - {id: b, match: {path: /b/**}, service: nope}\n");
    t.rewriteConfig(bad);
    assertOldConfigServes();
    t.rewriteConfig(config(ROUTE_B));
    assertTrue(TestGateway.eventually(2000, () -> statusOrMinusOne("/b/x") == 200));
    t.rewriteConfig(bad);
    Thread.sleep(500);
    assertEquals(200, status("/b/x"), "the last valid config keeps serving");
  }

  @Test
  void routeCanMoveToAnotherService() throws Exception {
    assertEquals("a", body("/a/x"));
    t.rewriteConfig(config("").replace("service: a}", "service: b}"));
    assertTrue(TestGateway.eventually(2000, () -> {
      try {
        return "b".equals(body("/a/x"));
      } catch (Exception e) {
        return false;
      }
    }), "the route now goes to b");
  }

  @Test
  void partialWritesAreRetriedUntilTheFileIsComplete() throws Exception {
    // Not atomic: the poller may see a truncated file first, which is rejected; the full file applies.
    String full = config(ROUTE_B);
    Files.writeString(t.configFile, full.substring(0, full.length() / 2), StandardCharsets.UTF_8);
    Thread.sleep(250);
    Files.writeString(t.configFile, full, StandardCharsets.UTF_8);
    assertTrue(TestGateway.eventually(2000, () -> statusOrMinusOne("/b/x") == 200));
    assertEquals(200, status("/a/x"));
  }

  @Test
  void newLimitsApplyToNewConnections() throws Exception {
    String bigHeader = "GET /a/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\nX-Pad: " + "p".repeat(2000) + "\r\n\r\n";
    assertEquals(200, RawHttp.statusOf(RawHttp.exchange(t.port(), bigHeader, 3000)));
    t.rewriteConfig(config("  limits: {maxHeaderBytes: 1KiB, maxUriBytes: 512B}\n", ""));
    assertTrue(TestGateway.eventually(2000, () -> {
      try {
        return RawHttp.statusOf(RawHttp.exchange(t.port(), bigHeader, 3000)) == 431;
      } catch (Exception e) {
        return false;
      }
    }), "the lower header limit applies");
  }

  private void assertOldConfigServes() throws Exception {
    Thread.sleep(400); // several polls
    assertEquals(200, status("/a/x"), "the old config keeps serving");
    assertEquals(404, status("/b/x"), "the rejected route is absent");
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create(t.url(path))).timeout(Duration.ofSeconds(5)).build();
  }

  private int status(String path) throws Exception {
    return http.send(request(path), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private int statusOrMinusOne(String path) {
    try {
      return status(path);
    } catch (Exception e) {
      return -1;
    }
  }

  private String body(String path) throws Exception {
    return http.send(request(path), HttpResponse.BodyHandlers.ofString()).body();
  }
}
