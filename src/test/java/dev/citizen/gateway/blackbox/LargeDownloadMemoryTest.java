package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 1 GiB download through a gateway process limited to a 48 MiB heap: the body must stream with
 * backpressure, never be buffered. The gateway runs as its own JVM (the real {@code run} command)
 * so its heap can be bounded and measured; the backend and the client live in the test JVM.
 */
@Timeout(120)
class LargeDownloadMemoryTest {
  private static final long SIZE = 1L << 30;
  /** The client stops reading this long at each of these offsets, so the gateway must hold back. */
  private static final long STALL_MILLIS = 500;
  private static final long[] STALLS = {256L << 20, 768L << 20};
  /** "A few MiB" (issue 2); a streaming gateway grows by well under 1 MiB here. */
  private static final long MAX_HEAP_GROWTH = 4L << 20;
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)([KMG])");

  @Test
  void oneGibDownloadThroughA48MibGateway() throws Exception {
    Vertx backendVertx = Vertx.vertx();
    Path config = Files.createTempFile("gateway-1g", ".yaml");
    Path log = Files.createTempFile("gateway-1g", ".log");
    Process gateway = null;
    try {
      CompletableFuture<Long> sentCrc = new CompletableFuture<>();
      int backend = backendVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .requestHandler(req -> {
            if (!req.path().equals("/big")) {
              req.response().end("warm");
              return;
            }
            req.response().putHeader("Content-Length", Long.toString(SIZE));
            StreamPattern.write(req.response(), SIZE).whenComplete((crc, e) -> {
              if (e != null) {
                sentCrc.completeExceptionally(e);
              } else {
                sentCrc.complete(crc);
              }
            });
          })
          .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();

      // The run command has no way to report an ephemeral port, so take free ones just before start.
      int port = TestGateway.freePort();
      int admin = TestGateway.freePort();
      while (admin == port) {
        admin = TestGateway.freePort();
      }
      Files.writeString(config, """
          server: {host: 127.0.0.1, port: %d}
          admin: {host: 127.0.0.1, port: %d}
          services:
            backend:
              endpoints: [{url: "http://127.0.0.1:%d"}]
              timeouts: {connect: 5s, response: 30s}
          routes:
            - id: all
              match: {path: /**}
              service: backend
          """.formatted(port, admin, backend), StandardCharsets.UTF_8);

      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      gateway = new ProcessBuilder(java, "-Xmx48m", "-XX:+ExitOnOutOfMemoryError",
          "-cp", System.getProperty("java.class.path"),
          "dev.citizen.gateway.cli.Main", "run", "--config", config.toString())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      awaitReady(gateway, admin, log);

      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> warm = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/warm")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, warm.statusCode());
      Long heapBefore = heapUsedAfterGc(gateway.pid());

      long total = 0;
      CRC32 crc = new CRC32();
      try (RawHttp c = new RawHttp(port)) {
        c.socket.setSoTimeout(20_000);
        c.send("GET /big HTTP/1.1\r\nHost: h\r\n\r\n");
        String head = c.readHead();
        assertEquals(200, RawHttp.statusOf(head), head);
        assertEquals(Long.toString(SIZE), RawHttp.headerOf(head, "Content-Length"), head);
        InputStream in = c.socket.getInputStream();
        byte[] buf = new byte[256 * 1024];
        int stall = 0;
        while (total < SIZE) {
          int n;
          try {
            n = in.read(buf, 0, (int) Math.min(buf.length, SIZE - total));
          } catch (IOException e) {
            long got = total;
            Process g = gateway;
            fail("reading failed after " + got + " bytes (" + e + "); gateway alive: " + g.isAlive()
                + "; log:\n" + tail(log));
            return;
          }
          if (n < 0) {
            break;
          }
          crc.update(buf, 0, n);
          total += n;
          if (stall < STALLS.length && total >= STALLS[stall]) {
            stall++;
            Thread.sleep(STALL_MILLIS); // a slow reader on purpose: the gateway must stop reading too
          }
        }
      }
      assertEquals(SIZE, total, () -> "bytes received; gateway log:\n" + tail(log));
      assertEquals(sentCrc.get(10, TimeUnit.SECONDS), crc.getValue());
      assertTrue(gateway.isAlive(), () -> "the gateway died; log:\n" + tail(log));

      assumeTrue(heapBefore != null, "jcmd is not available: heap growth not checked");
      Long heapAfter = heapUsedAfterGc(gateway.pid());
      assumeTrue(heapAfter != null, "jcmd is not available: heap growth not checked");
      long growth = heapAfter - heapBefore;
      System.out.printf("gateway heap after GC: %d KiB before, %d KiB after 1 GiB%n", heapBefore >> 10,
          heapAfter >> 10);
      assertTrue(growth < MAX_HEAP_GROWTH, "heap grew by " + growth + " bytes (" + heapBefore + " -> "
          + heapAfter + ")");
    } finally {
      if (gateway != null) {
        gateway.destroy();
        if (!gateway.waitFor(10, TimeUnit.SECONDS)) {
          gateway.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
      backendVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Files.deleteIfExists(config);
      Files.deleteIfExists(log);
    }
  }

  /** Polls the admin readiness endpoint until 200, failing early if the process exits. */
  private static void awaitReady(Process gateway, int admin, Path log) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!gateway.isAlive()) {
        fail("the gateway exited with " + gateway.exitValue() + "; log:\n" + tail(log));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    fail("the gateway was not ready within 30 s; log:\n" + tail(log));
  }

  /**
   * The gateway's used heap in bytes after a full GC (so only live data counts, not garbage the
   * collector has not reached yet), or null when jcmd is unavailable.
   */
  private static Long heapUsedAfterGc(long pid) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return null;
    }
    if (run(jcmd, pid, "GC.run") == null) {
      return null;
    }
    String info = run(jcmd, pid, "GC.heap_info");
    if (info == null) {
      return null;
    }
    // G1: " garbage-first heap   total 49152K, used 7012K [...]"; Serial/Parallel: one line per
    // generation. Everything before the Metaspace line is the Java heap.
    long used = 0;
    boolean found = false;
    for (String line : info.split("\n")) {
      if (line.contains("Metaspace")) {
        break;
      }
      Matcher m = HEAP_USED.matcher(line);
      if (m.find() && !line.contains("%")) {
        long n = Long.parseLong(m.group(1));
        used += switch (m.group(2)) {
          case "K" -> n << 10;
          case "M" -> n << 20;
          default -> n << 30;
        };
        found = true;
      }
    }
    assertTrue(found, "no heap usage in:\n" + info);
    return used;
  }

  private static String run(Path jcmd, long pid, String command) throws Exception {
    Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return null;
    }
    return out;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
