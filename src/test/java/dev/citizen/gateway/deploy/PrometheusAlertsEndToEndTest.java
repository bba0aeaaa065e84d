package dev.citizen.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.citizen.gateway.config.ConfigLoader;
import dev.citizen.gateway.server.Gateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shipped alert rules, end to end: a real Prometheus (Debian's package) scrapes a real
 * gateway every second with deploy/prometheus/alerts.yml unchanged; a service behind it turns slow
 * and failing, and the P95-latency and error-rate alerts must be firing within 60 s of the
 * breach. Also runs every query of the Grafana dashboard against that Prometheus.
 */
@Timeout(180)
class PrometheusAlertsEndToEndTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef";

  @Test
  void latencyAndErrorRateAlertsFireWithinAMinuteOfTheBreach() throws Exception {
    String prometheusBin = findOnPath("prometheus");
    Vertx vertx = Vertx.vertx();
    Path work = Files.createTempDirectory("prom-e2e");
    Process prometheus = null;
    AtomicBoolean breach = new AtomicBoolean();
    AtomicBoolean load = new AtomicBoolean(true);
    List<java.util.concurrent.ScheduledExecutorService> tickers = new ArrayList<>();
    Gateway gateway = null;
    try {
      AtomicInteger n = new AtomicInteger();
      HttpServer backend = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .requestHandler(req -> {
            if (!breach.get()) {
              req.response().end("ok");
              return;
            }
            // The breach: every answer takes 400 ms, and every 5th is a 500 (20% errors; never 5 in
            // a row, so outlier detection keeps out of it, and under the breaker's 50%).
            boolean fail = n.incrementAndGet() % 5 == 0;
            vertx.setTimer(400, t -> req.response().setStatusCode(fail ? 500 : 200).end(fail ? "boom" : "slow"));
          });
      int backendPort = backend.listen().await().actualPort();
      Path config = work.resolve("gateway.yaml");
      Files.writeString(config, """
          server: {host: 127.0.0.1, port: 0}
          admin: {host: 127.0.0.1, port: 0, token: %s}
          services:
            patients:
              endpoints: [{url: "http://127.0.0.1:%d"}]
          routes:
            - {id: patients, match: {path: /api/patients/**}, service: patients}
          """.formatted(ADMIN_TOKEN, backendPort));
      gateway = Gateway.start(vertx, config, new ConfigLoader(), 1000).await();
      int gatewayPort = gateway.port();

      Path rules = work.resolve("alerts.yml");
      Files.copy(PromtoolRulesTest.DIR.resolve("alerts.yml"), rules);
      // Prometheus reads the admin token from a file, as the production config does.
      Path tokenFile = work.resolve("admin-token");
      Files.writeString(tokenFile, ADMIN_TOKEN + "\n");
      Files.writeString(work.resolve("prometheus.yml"), Files.readString(PromtoolRulesTest.DIR.resolve("prometheus-test.yml"))
          .replace("TARGET", "127.0.0.1:" + gateway.adminPort()).replace("TOKEN_FILE", tokenFile.toString()));
      int promPort = freePort();
      prometheus = new ProcessBuilder(prometheusBin, "--config.file=" + work.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort,
          "--log.level=warn")
          .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
      String prom = "http://127.0.0.1:" + promPort;
      waitFor(30, () -> get(prom + "/-/ready").statusCode() == 200, "Prometheus ready");
      waitFor(30, () -> query(prom, "up{job=\"citizen-gateway\"}").size() == 1
          && query(prom, "up{job=\"citizen-gateway\"}").getJsonObject(0).getJsonArray("value").getString(1).equals("1"),
          "Prometheus scrapes the gateway");

      // Open-loop traffic, as from many independent users: 25 requests a second whatever the
      // latency (a closed loop of a few clients would slow down with the service and dilute the
      // error rate with the faster healthy minute before).
      java.util.concurrent.ScheduledExecutorService ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      AtomicInteger seq = new AtomicInteger();
      ticker.scheduleAtFixedRate(() -> {
        if (load.get()) {
          HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/api/patients/"
              + (seq.incrementAndGet() % 50))).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
        }
      }, 0, 40, TimeUnit.MILLISECONDS);
      tickers.add(ticker);
      Thread.sleep(8000); // a healthy baseline in the 1 m windows
      assertTrue(firing(prom).isEmpty(), "nothing fires while healthy: " + firing(prom));

      long breachStart = System.nanoTime();
      breach.set(true);
      Map<String, Long> firedAfter = new LinkedHashMap<>();
      while (firedAfter.size() < 2 && seconds(breachStart) < 75) {
        for (String a : firing(prom)) {
          if ((a.equals("GatewayHighLatencyP95") || a.equals("GatewayHighErrorRate")) && !firedAfter.containsKey(a)) {
            firedAfter.put(a, Math.round(seconds(breachStart)));
          }
        }
        Thread.sleep(500);
      }
      System.out.println("alerts firing after the breach started (s): " + firedAfter);
      assertTrue(firedAfter.containsKey("GatewayHighLatencyP95"), "P95 alert never fired; firing: " + firing(prom));
      assertTrue(firedAfter.containsKey("GatewayHighErrorRate"), "error-rate alert never fired; firing: " + firing(prom));
      assertTrue(firedAfter.get("GatewayHighLatencyP95") <= 60, "P95 alert after " + firedAfter + " s");
      assertTrue(firedAfter.get("GatewayHighErrorRate") <= 60, "error-rate alert after " + firedAfter + " s");
      // for: 15s means not before 15 s: the alerts are not hair triggers.
      assertTrue(firedAfter.values().stream().allMatch(s -> s >= 15), firedAfter.toString());

      // Every query of the Grafana dashboard is valid PromQL for this Prometheus, and the traffic,
      // error and latency panels have data.
      JsonObject dash = new JsonObject(Files.readString(Path.of("deploy/grafana/citizen-gateway.json")));
      int queries = 0;
      for (Object p : dash.getJsonArray("panels")) {
        JsonObject panel = (JsonObject) p;
        JsonArray targets = panel.getJsonArray("targets");
        if (targets == null) {
          continue;
        }
        for (Object t : targets) {
          String expr = ((JsonObject) t).getString("expr").replace("$route", ".*");
          JsonObject r = queryRaw(prom, expr);
          assertEquals("success", r.getString("status"), panel.getString("title") + ": " + expr + " -> " + r);
          queries++;
          String title = panel.getString("title");
          if (title.startsWith("Requests/s") || title.startsWith("5xx ratio") || title.startsWith("P95")
              || title.startsWith("Latency percentiles")) {
            assertTrue(!r.getJsonObject("data").getJsonArray("result").isEmpty(), title + " has no data: " + expr);
          }
        }
      }
      assertTrue(queries >= 20, "dashboard queries checked: " + queries);
    } finally {
      load.set(false);
      tickers.forEach(java.util.concurrent.ScheduledExecutorService::shutdownNow);
      if (prometheus != null) {
        prometheus.destroy();
        prometheus.waitFor(10, TimeUnit.SECONDS);
      }
      if (gateway != null) {
        gateway.close().await();
      }
      vertx.close().await();
    }
  }

  private static List<String> firing(String prom) throws Exception {
    JsonArray alerts = new JsonObject(get(prom + "/api/v1/alerts").body()).getJsonObject("data").getJsonArray("alerts");
    List<String> out = new ArrayList<>();
    for (Object a : alerts) {
      JsonObject alert = (JsonObject) a;
      if ("firing".equals(alert.getString("state"))) {
        out.add(alert.getJsonObject("labels").getString("alertname"));
      }
    }
    return out;
  }

  private static JsonArray query(String prom, String q) throws Exception {
    return queryRaw(prom, q).getJsonObject("data").getJsonArray("result");
  }

  private static JsonObject queryRaw(String prom, String q) throws Exception {
    return new JsonObject(get(prom + "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)).body());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  interface Check {
    boolean ok() throws Exception;
  }

  private static void waitFor(int seconds, Check check, String what) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    fail("timed out waiting for: " + what);
  }

  private static int freePort() throws IOException {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String findOnPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    fail(name + " not found: install Debian's prometheus package (.ci/run does)");
    return null;
  }
}
