package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code gateway run -c FILE} as its own JVM (test classpath, main class
 * {@code dev.citizen.gateway.cli.Main}), for what only a process shows: signals and exit status,
 * and two processes sharing one port. Its ports are read from its startup log line, so the config
 * may use port 0 (except when two processes must share an explicit port).
 */
final class GatewayProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      // Addresses end at white space or the JSON string's quote: the next log line (a warning
      // about net.ipv4.tcp_migrate_req, say) must not be read as part of the admin address.
      Pattern.compile("gateway listening on [^\\s\"]+:(\\d+) \\((.*)\\), admin on [^\\s\"]+:(\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();

  final Process process;
  final Path log;
  private final Path config;
  int port;
  int adminPort;
  /** What the startup line says in parentheses, e.g. "2 event loops, epoll transport, reusePort on". */
  String listenerInfo;

  private GatewayProcess(Process process, Path config, Path log) {
    this.process = process;
    this.config = config;
    this.log = log;
  }

  /** Starts a gateway from {@code yaml} and waits until its admin port reports ready. */
  static GatewayProcess start(String yaml) throws Exception {
    return start(yaml, java.util.Map.of());
  }

  /** {@link #start(String)} with extra environment variables (for {@code ${VAR}} in the config). */
  static GatewayProcess start(String yaml, java.util.Map<String, String> env) throws Exception {
    Path config = Files.createTempFile("gateway-proc", ".yaml");
    Path log = Files.createTempFile("gateway-proc", ".log");
    Files.writeString(config, yaml, StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"),
        "dev.citizen.gateway.cli.Main", "run", "--config", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    GatewayProcess g = new GatewayProcess(p, config, log);
    try {
      g.awaitStarted();
    } catch (Throwable e) {
      p.destroyForcibly(); // a gateway that never got ready must not outlive the test
      throw e;
    }
    return g;
  }

  private void awaitStarted() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("the gateway exited with " + process.exitValue() + "; log:\n" + logText());
      }
      Matcher m = LISTENING.matcher(logText());
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
        listenerInfo = m.group(2);
        adminPort = Integer.parseInt(m.group(3));
        if (ready() == 200) {
          return;
        }
      }
      Thread.sleep(50);
    }
    fail("the gateway did not start within 30 s; log:\n" + logText());
  }

  /** Status of {@code GET path} on the admin port; -1 when it cannot be reached. */
  int admin(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  int ready() {
    return admin("/health/ready");
  }

  /** SIGTERM, as an orchestrator or systemd stops a service ({@link Process#destroy} on Linux). */
  void sigterm() {
    process.destroy();
  }

  /** The exit status, or null if the process is still running after {@code millis}. */
  Integer awaitExit(long millis) throws InterruptedException {
    return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The last lines of the log, for failure messages. */
  String logTail() {
    List<String> lines = logText().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(config);
    Files.deleteIfExists(log);
  }
}
