package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Zero-downtime replacement: gateway B binds the port gateway A serves (SO_REUSEPORT), A drains
 * on SIGTERM, and clients that know nothing about it (they only follow Connection: close) see
 * not one failed request, before, during or after.
 */
@Timeout(60)
class ReusePortRestartTest {
  private static final Path TCP_MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

  /**
   * Without tcp_migrate_req, Linux resets the connections still in A's accept queue when A closes
   * its listener: that loss is the kernel's, not the gateway's, so the test sets it (as .ci/run
   * does) and refuses to run without it.
   */
  private static void ensureTcpMigrateReq() {
    if (!Files.exists(TCP_MIGRATE_REQ)) {
      fail(TCP_MIGRATE_REQ + " does not exist: this kernel (< 5.14, or not Linux) cannot hand queued "
          + "connections to the other process, so a replacement may reset a few of them");
    }
    try {
      if (Files.readString(TCP_MIGRATE_REQ).trim().equals("0")) {
        Files.writeString(TCP_MIGRATE_REQ, "1\n");
      }
      assertEquals("1", Files.readString(TCP_MIGRATE_REQ).trim());
    } catch (IOException | RuntimeException e) {
      fail("net.ipv4.tcp_migrate_req is 0 and this test cannot set it (" + e + "); run "
          + "`sysctl -w net.ipv4.tcp_migrate_req=1` as root (.ci/run does) and run the test again");
    }
  }

  @Test
  void secondProcessTakesOverThePortWithoutAFailedRequest() throws Exception {
    ensureTcpMigrateReq();
    Vertx backendVertx = Vertx.vertx();
    try {
      // One backend per gateway process, answering with its name, to see who served a request.
      int backendA = nameBackend(backendVertx, "a");
      int backendB = nameBackend(backendVertx, "b");
      int port = TestGateway.freePort();
      // The same file for both processes; only the environment differs.
      String yaml = """
          server: {host: 127.0.0.1, port: %d, reusePort: true, drain: {delay: 1s, timeout: 5s}}
          admin: {host: 127.0.0.1, port: 0}
          services:
            backend:
              endpoints: [{url: "${BACKEND_URL}"}]
              timeouts: {connect: 5s, response: 10s}
          routes:
            - id: all
              match: {path: /**}
              service: backend
          """.formatted(port);
      try (GatewayProcess a = GatewayProcess.start(yaml, Map.of("BACKEND_URL", "http://127.0.0.1:" + backendA))) {
        assertTrue(a.listenerInfo.contains("epoll transport") && a.listenerInfo.contains("reusePort on"),
            a.listenerInfo);
        assertTrue(!a.logText().contains("tcp_migrate_req"), "no warning when the sysctl is set: " + a.logTail());
        try (HttpLoad load = new HttpLoad(port, "/r", 3, 3, () -> true)) {
          Thread.sleep(1000);
          long start = System.nanoTime();
          long okBeforeB = load.ok.get();
          try (GatewayProcess b = GatewayProcess.start(yaml, Map.of("BACKEND_URL", "http://127.0.0.1:" + backendB))) {
            assertEquals(port, b.port);
            Thread.sleep(500);
            long term = System.nanoTime();
            a.sigterm();
            Integer exit = a.awaitExit(10_000);
            long exitedAfter = (System.nanoTime() - term) / 1_000_000;
            assertNotNull(exit, "A did not exit; log:\n" + a.logTail());
            load.mark();
            Thread.sleep(1000);
            load.close();
            double seconds = (System.nanoTime() - start) / 1e9;
            long okFromStartOfB = load.ok.get() - okBeforeB;
            System.out.printf("reuse-port replacement: %s; A exited after %d ms; %.0f requests/s%n",
                load.summary(), exitedAfter, okFromStartOfB / seconds);

            assertEquals(0, exit, a.logTail());
            assertTrue(load.failures.isEmpty(), load.summary() + "\nA:\n" + a.logTail() + "\nB:\n" + b.logTail());
            assertTrue(load.byBody.getOrDefault("a", new AtomicLong()).get() > 0, load.summary());
            assertTrue(load.byBody.getOrDefault("b", new AtomicLong()).get() > 0, load.summary());
            assertTrue(load.byBodyAfterMark.getOrDefault("b", new AtomicLong()).get() > 0,
                "B served nothing after A exited: " + load.summary());
            assertTrue(load.byBodyAfterMark.get("a") == null, "A answered after it exited?! " + load.summary());
            assertTrue(okFromStartOfB / seconds >= 100, "too little load to show anything: " + load.summary());
            assertEquals(200, b.ready(), "B serves on");

            b.sigterm();
            assertEquals(0, b.awaitExit(10_000), b.logTail());
          }
        }
      }
    } finally {
      backendVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static int nameBackend(Vertx vertx, String name) throws Exception {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> vertx.setTimer(2, id -> req.response().end(name)))
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }
}
