package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /metrics} on the admin port, scraped from a real gateway after real traffic: every
 * metric the alerts and the dashboard rely on, with exact counts and exact label sets, parsed
 * from the exposition format ({@link PrometheusText}).
 */
@Timeout(90)
class MetricsTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static final String DURATION = "gateway_request_duration_seconds";
  private static final String UPSTREAM = "gateway_upstream_request_duration_seconds";

  private HttpResponse<String> send(TestGateway t, String method, String path) throws Exception {
    HttpRequest.BodyPublisher body = method.equals("POST") ? HttpRequest.BodyPublishers.ofString("x")
        : HttpRequest.BodyPublishers.noBody();
    return http.send(HttpRequest.newBuilder(URI.create(t.url(path))).timeout(Duration.ofSeconds(10))
        .method(method, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(TestGateway t, String path) throws Exception {
    return send(t, "GET", path);
  }

  private HttpResponse<String> admin(TestGateway t, String method, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.adminPort() + "/metrics"))
        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody())
        .header("Authorization", AdminApi.AUTHORIZATION);
    if (accept != null) {
      b.header("Accept", accept);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private PrometheusText scrape(TestGateway t) throws Exception {
    HttpResponse<String> r = admin(t, "GET", null);
    assertEquals(200, r.statusCode(), r.body());
    return PrometheusText.parse(r.body());
  }

  /** Scrapes until {@code condition} holds (gauges that change in the background). */
  private PrometheusText scrapeUntil(TestGateway t, java.util.function.Predicate<PrometheusText> condition)
      throws Exception {
    PrometheusText last = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      last = scrape(t);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    return last;
  }

  private static String url(int port) {
    return "http://127.0.0.1:" + port;
  }

  /** Every situation the metrics must show, one service each. */
  private static String config(Map<String, Integer> ports, boolean withChecked) {
    String services = """
        services:
          ok:
            endpoints: [{url: "%s"}]
            timeouts: {connect: 2s, response: 10s}
          slow:
            endpoints: [{url: "%s"}]
            timeouts: {connect: 2s, response: 10s}
          failing:
            endpoints: [{url: "%s"}]
            timeouts: {connect: 2s, response: 10s}
            outlierDetection: {enabled: false}
            circuitBreaker: {minimumCalls: 2, openFor: 120s}
          flaky:
            endpoints: [{url: "%s"}]
            timeouts: {connect: 2s, response: 10s}
            outlierDetection: {enabled: false}
            circuitBreaker: {enabled: false}
          budget:
            endpoints: [{url: "%s"}]
            timeouts: {connect: 2s, response: 10s}
            outlierDetection: {enabled: false}
            circuitBreaker: {enabled: false}
            retryBudget: {percent: 0, minPerSecond: 0}
          down:
            endpoints: [{url: "%s"}]
            timeouts: {connect: 2s, response: 10s}
            circuitBreaker: {enabled: false}
          timeout:
            endpoints: [{url: "%s"}]
            timeouts: {connect: 2s, response: 200ms}
            circuitBreaker: {enabled: false}
          ejecting:
            endpoints: [{url: "%s"}, {url: "%s"}]
            timeouts: {connect: 2s, response: 10s}
            outlierDetection: {consecutiveFailures: 2, baseEjectionTime: 120s}
            circuitBreaker: {enabled: false}
        """.formatted(url(ports.get("ok")), url(ports.get("slow")), url(ports.get("failing")),
        url(ports.get("flaky")), url(ports.get("budget")), url(ports.get("down")), url(ports.get("timeout")),
        url(ports.get("bad")), url(ports.get("good")));
    if (withChecked) {
      services += """
            checked:
              endpoints: [{url: "%s"}]
              healthCheck: {interval: 100ms, timeout: 500ms, unhealthyThreshold: 1}
          """.formatted(url(ports.get("checked")));
    }
    StringBuilder routes = new StringBuilder("routes:\n");
    for (String s : List.of("ok", "slow", "failing", "flaky", "budget", "down", "timeout", "ejecting")) {
      int attempts = s.equals("flaky") || s.equals("budget") ? 2 : 1;
      routes.append("  - id: ").append(s).append("\n    match: {path: /api/").append(s)
          .append("/**}\n    service: ").append(s).append("\n    retries: {attempts: ").append(attempts)
          .append("}\n");
    }
    return "server: {host: 127.0.0.1, port: 0}\nadmin: {host: 127.0.0.1, port: 0}\n" + services + routes;
  }

  @Test
  void trafficAndUpstreamStateShowWithExactCountsAndBoundedLabels() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      Promise<Void> release = Promise.promise();
      int okPort = t.httpBackend(req -> {
        if (req.path().endsWith("/hold")) {
          release.future().onComplete(v -> req.response().end("held"));
        } else {
          req.body().onSuccess(b -> req.response().end("ok"));
        }
      });
      var slow = t.recordingBackend("slow", 350);
      int failing = t.httpBackend(req -> req.response().setStatusCode(500).end("boom"));
      AtomicInteger flakyCalls = new AtomicInteger();
      int flaky = t.httpBackend(req -> req.response()
          .setStatusCode(flakyCalls.incrementAndGet() == 1 ? 503 : 200).end("flaky"));
      int budget = t.httpBackend(req -> req.response().setStatusCode(503).end("busy"));
      int silent = t.tcpBackend(sock -> sock.handler(b -> { })); // reads, never answers
      int bad = t.httpBackend(req -> req.response().setStatusCode(500).end("bad"));
      int good = t.httpBackend(req -> req.response().end("good"));
      Map<String, Integer> ports = Map.of("ok", okPort, "slow", slow.port, "failing", failing, "flaky", flaky,
          "budget", budget, "down", TestGateway.refusingPort(), "timeout", silent, "bad", bad, "good", good,
          "checked", TestGateway.refusingPort());
      t.startGateway(config(ports, true));

      // ok: three GETs (one of them held open), a POST and an unknown method, all 200.
      assertEquals(200, get(t, "/api/ok/a").statusCode());
      assertEquals(200, get(t, "/api/ok/patient-8812/record?ssn=123-45-6789").statusCode());
      assertEquals(200, send(t, "POST", "/api/ok/b").statusCode());
      assertEquals(200, send(t, "PROPFIND", "/api/ok/c").statusCode());
      CompletableFuture<HttpResponse<String>> held = http.sendAsync(
          HttpRequest.newBuilder(URI.create(t.url("/api/ok/hold"))).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      PrometheusText during = scrapeUntil(t, p -> Double.valueOf(1).equals(p.value("gateway_requests_in_flight",
          "route", "ok", "service", "ok", "method", "GET")));
      during.assertValue(1, "gateway_requests_in_flight", "route", "ok", "service", "ok", "method", "GET");
      during.assertValue(1, "gateway_upstream_in_flight", "service", "ok", "endpoint", url(okPort));
      release.complete();
      assertEquals("held", held.get(10, TimeUnit.SECONDS).body());

      assertEquals(200, get(t, "/api/slow/x").statusCode()); // 350 ms: between the 0.3 and 0.5 bounds
      assertEquals(404, get(t, "/nowhere/raw-9931").statusCode());
      assertEquals(500, get(t, "/api/failing/1").statusCode());
      assertEquals(500, get(t, "/api/failing/2").statusCode());
      HttpResponse<String> rejected = get(t, "/api/failing/3");
      assertEquals(503, rejected.statusCode());
      assertTrue(rejected.body().contains("circuit_open"), rejected.body());
      assertEquals(200, get(t, "/api/flaky/x").statusCode()); // 503, retried, 200
      assertEquals(503, get(t, "/api/budget/x").statusCode()); // 503, retry refused by the budget
      assertEquals(502, get(t, "/api/down/x").statusCode());
      assertEquals(504, get(t, "/api/timeout/x").statusCode());
      for (int i = 0; i < 4; i++) {
        get(t, "/api/ejecting/" + i); // round robin: bad, good, bad, good (in some order): bad is ejected
      }
      // Refused by the connection guard before routing: counted apart, by problem code.
      for (String head : new String[] {"GET /api/ok/x HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n",
          "GET /api/ok/x HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"}) {
        assertEquals(400, RawHttp.statusOf(RawHttp.responseTo(t.port(), head)));
      }

      PrometheusText m = scrapeUntil(t, p -> Double.valueOf(0).equals(p.value("gateway_endpoint_healthy",
          "service", "checked", "version", "default", "endpoint", url(ports.get("checked"))))
          && Double.valueOf(0).equals(p.value("gateway_requests_in_flight",
          "route", "ok", "service", "ok", "method", "GET")));

      m.assertValue(2, "gateway_requests_rejected_total", "code", "bad_request", "status", "400");
      // Request counts per route, method and status class.
      m.assertValue(3, DURATION + "_count", "route", "ok", "service", "ok", "method", "GET", "status_class", "2xx");
      m.assertValue(1, DURATION + "_count", "route", "ok", "service", "ok", "method", "POST", "status_class", "2xx");
      m.assertValue(1, DURATION + "_count", "route", "ok", "service", "ok", "method", "OTHER",
          "status_class", "2xx");
      m.assertValue(1, DURATION + "_count", "route", "none", "service", "none", "method", "GET",
          "status_class", "4xx");
      m.assertValue(3, DURATION + "_count", "route", "failing", "service", "failing", "method", "GET",
          "status_class", "5xx");
      m.assertValue(1, DURATION + "_count", "route", "flaky", "service", "flaky", "method", "GET",
          "status_class", "2xx");
      m.assertValue(1, DURATION + "_count", "route", "down", "service", "down", "method", "GET",
          "status_class", "5xx");
      m.assertValue(2, DURATION + "_count", "route", "ejecting", "service", "ejecting", "method", "GET",
          "status_class", "2xx");
      m.assertValue(2, DURATION + "_count", "route", "ejecting", "service", "ejecting", "method", "GET",
          "status_class", "5xx");
      assertEquals(Set.of("GET", "POST", "OTHER"), m.find(DURATION + "_count", Map.of("route", "ok")).stream()
          .map(s -> s.labels().get("method")).collect(java.util.stream.Collectors.toSet()), "PROPFIND is OTHER");
      assertEquals(18, m.find(DURATION + "_count", Map.of()).stream().mapToDouble(s -> s.value()).sum(), 1e-9,
          "every request counted once: 5 ok + slow + none + 3 failing + flaky + budget + down + timeout "
              + "+ 4 ejecting = 18");

      // The slow request lands between the SLO bounds; the fast ones below 0.3 s.
      m.assertValue(0, DURATION + "_bucket", "route", "slow", "service", "slow", "method", "GET",
          "status_class", "2xx", "le", "0.3");
      m.assertValue(1, DURATION + "_bucket", "route", "slow", "service", "slow", "method", "GET",
          "status_class", "2xx", "le", "0.5");
      m.assertValue(1, DURATION + "_bucket", "route", "slow", "service", "slow", "method", "GET",
          "status_class", "2xx", "le", "+Inf");
      m.assertValue(1, DURATION + "_bucket", "route", "ok", "service", "ok", "method", "POST",
          "status_class", "2xx", "le", "0.3");
      assertEquals(List.of("0.005", "0.01", "0.025", "0.05", "0.1", "0.2", "0.3", "0.5", "0.75", "1.0", "2.5",
          "5.0", "10.0", "+Inf"), m.find(DURATION + "_bucket", Map.of("route", "slow")).stream()
          .map(s -> s.labels().get("le")).toList(), "explicit SLO buckets, nothing else");

      // In flight: back to zero everywhere once the requests ended, retried ones included.
      assertEquals(10, m.find("gateway_requests_in_flight", Map.of()).size(), "one per proxied route and method");
      for (String name : List.of("gateway_requests_in_flight", "gateway_upstream_in_flight")) {
        for (PrometheusText.Sample s : m.find(name, Map.of())) {
          assertEquals(0, s.value(), 1e-9, s.toString());
        }
      }

      // Upstream attempts by outcome; connect errors and timeouts.
      m.assertValue(5, UPSTREAM + "_count", "service", "ok", "endpoint", url(okPort), "outcome", "response");
      m.assertValue(2, UPSTREAM + "_count", "service", "flaky", "endpoint", url(flaky), "outcome", "response");
      m.assertValue(1, UPSTREAM + "_count", "service", "down", "endpoint", url(ports.get("down")),
          "outcome", "connect_failed");
      m.assertValue(1, UPSTREAM + "_count", "service", "timeout", "endpoint", url(silent), "outcome", "timeout");
      m.assertValue(1, "gateway_upstream_connect_errors_total", "service", "down", "endpoint",
          url(ports.get("down")));
      m.assertValue(0, "gateway_upstream_connect_errors_total", "service", "ok", "endpoint", url(okPort));
      m.assertValue(1, "gateway_upstream_timeouts_total", "service", "timeout", "endpoint", url(silent));
      m.assertValue(0, "gateway_upstream_timeouts_total", "service", "ok", "endpoint", url(okPort));

      // Resilience: retries, budget, circuit.
      m.assertValue(1, "gateway_retries_total", "route", "flaky", "service", "flaky");
      m.assertValue(1, "gateway_retry_budget_exhausted_total", "service", "budget");
      m.assertValue(0, "gateway_retry_budget_exhausted_total", "service", "flaky");
      m.assertValue(1, "gateway_circuit_rejections_total", "service", "failing");
      m.assertValue(0, "gateway_circuit_rejections_total", "service", "ok");
      for (String[] expect : new String[][] {{"failing", "open"}, {"ok", "closed"}, {"timeout", "disabled"}}) {
        for (String state : List.of("closed", "open", "half_open", "disabled")) {
          m.assertValue(state.equals(expect[1]) ? 1 : 0, "gateway_circuit_breaker_state", "service", expect[0],
              "state", state);
        }
      }

      // Health: the checked endpoint fails its checks, the bad one is ejected.
      m.assertValue(0, "gateway_endpoint_healthy", "service", "checked", "version", "default", "endpoint",
          url(ports.get("checked")));
      m.assertValue(0, "gateway_service_available", "service", "checked");
      m.assertValue(1, "gateway_service_available", "service", "ok");
      m.assertValue(1, "gateway_service_available", "service", "ejecting");
      m.assertValue(1, "gateway_endpoint_ejected", "service", "ejecting", "version", "default", "endpoint", url(bad));
      m.assertValue(1, "gateway_endpoint_healthy", "service", "ejecting", "version", "default", "endpoint",
          url(bad));
      m.assertValue(0, "gateway_endpoint_ejected", "service", "ejecting", "version", "default", "endpoint",
          url(good));
      m.assertValue(1, "gateway_endpoint_ejections_total", "service", "ejecting", "endpoint", url(bad));
      m.assertValue(0, "gateway_endpoint_ejections_total", "service", "ejecting", "endpoint", url(good));

      // Exact label names of every gateway metric.
      Map<String, Set<String>> labelNames = Map.ofEntries(
          Map.entry(DURATION + "_count", Set.of("route", "service", "method", "status_class")),
          Map.entry(DURATION + "_bucket", Set.of("route", "service", "method", "status_class", "le")),
          Map.entry("gateway_requests_in_flight", Set.of("route", "service", "method")),
          Map.entry(UPSTREAM + "_bucket", Set.of("service", "endpoint", "outcome", "le")),
          Map.entry("gateway_upstream_connect_errors_total", Set.of("service", "endpoint")),
          Map.entry("gateway_upstream_timeouts_total", Set.of("service", "endpoint")),
          Map.entry("gateway_upstream_in_flight", Set.of("service", "endpoint")),
          Map.entry("gateway_circuit_breaker_state", Set.of("service", "state")),
          Map.entry("gateway_endpoint_healthy", Set.of("service", "version", "endpoint")),
          Map.entry("gateway_endpoint_ejected", Set.of("service", "version", "endpoint")),
          Map.entry("gateway_service_available", Set.of("service")),
          Map.entry("gateway_endpoint_ejections_total", Set.of("service", "endpoint")),
          Map.entry("gateway_retries_total", Set.of("route", "service")),
          Map.entry("gateway_retry_budget_exhausted_total", Set.of("service")),
          Map.entry("gateway_circuit_rejections_total", Set.of("service")),
          Map.entry("gateway_config_reloads_total", Set.of("result")),
          Map.entry("gateway_requests_rejected_total", Set.of("code", "status")),
          Map.entry("gateway_config_last_reload_success", Set.of()),
          Map.entry("gateway_build_info", Set.of("version", "java_version")));
      labelNames.forEach((name, labels) -> assertEquals(Set.of(labels), m.labelNames(name), name));
      assertEquals(Set.of("2xx", "4xx", "5xx"), m.labelValues(DURATION + "_count", "status_class"),
          "status classes, not statuses");
      assertEquals(Set.of("none", "ok", "slow", "failing", "flaky", "budget", "down", "timeout", "ejecting"),
          m.labelValues(DURATION + "_count", "route"), "route ids and none, nothing else");

      // No raw path, query or id anywhere.
      for (String raw : List.of("raw-9931", "nowhere", "patient-8812", "123-45-6789", "ssn", "/api/")) {
        assertFalse(m.text.contains(raw), "raw request data in /metrics: " + raw);
      }

      // Build info, JVM and process metrics.
      assertEquals(1, m.find("gateway_build_info", Map.of("java_version", System.getProperty("java.version")))
          .size());
      assertEquals(1.0, m.find("gateway_build_info", Map.of()).get(0).value());
      assertFalse(m.find("gateway_build_info", Map.of()).get(0).labels().get("version").isEmpty());
      assertTrue(m.find("jvm_memory_used_bytes", Map.of("area", "heap")).stream().anyMatch(s -> s.value() > 0),
          "jvm_memory_used_bytes");
      assertTrue(m.find("jvm_threads_live_threads", Map.of()).get(0).value() > 0);
      assertTrue(m.find("process_uptime_seconds", Map.of()).get(0).value() > 0);
      assertFalse(m.find("process_cpu_usage", Map.of()).isEmpty());
      assertFalse(m.find("process_files_open_files", Map.of()).isEmpty());

      // Reloads: an invalid file is counted as a failure, a valid one as a success; what it
      // removed (the checked service) leaves /metrics, the rest carries on.
      m.assertValue(0, "gateway_config_reloads_total", "result", "success");
      m.assertValue(0, "gateway_config_reloads_total", "result", "failure");
      m.assertValue(1, "gateway_config_last_reload_success");
      t.rewriteConfig(config(ports, true).replace("services:", "services: [unclosed"));
      PrometheusText failed = scrapeUntil(t, p -> Double.valueOf(1).equals(p.value("gateway_config_reloads_total",
          "result", "failure")));
      failed.assertValue(1, "gateway_config_reloads_total", "result", "failure");
      failed.assertValue(0, "gateway_config_reloads_total", "result", "success");
      failed.assertValue(0, "gateway_config_last_reload_success");
      t.rewriteConfig(config(ports, false));
      // Until the reload is counted and the removed service's series are gone (they go at the
      // scrape after the swap; a scrape racing the swap may still show them).
      PrometheusText reloaded = scrapeUntil(t, p -> Double.valueOf(1).equals(
          p.value("gateway_config_reloads_total", "result", "success")) && !p.text.contains("service=\"checked\""));
      reloaded.assertValue(1, "gateway_config_reloads_total", "result", "success");
      reloaded.assertValue(1, "gateway_config_reloads_total", "result", "failure");
      reloaded.assertValue(1, "gateway_config_last_reload_success");
      assertFalse(reloaded.text.contains("service=\"checked\""), "the removed service's series are gone");
      reloaded.assertValue(3, DURATION + "_count", "route", "ok", "service", "ok", "method", "GET",
          "status_class", "2xx");
      reloaded.assertValue(1, "gateway_circuit_breaker_state", "service", "failing", "state", "open");
      reloaded.assertValue(1, "gateway_endpoint_ejected", "service", "ejecting", "version", "default",
          "endpoint", url(bad));
      assertEquals(200, get(t, "/api/ok/after-reload").statusCode());
      // The request is counted once its response is written, which may be just after the client
      // has read it.
      scrapeUntil(t, p -> Double.valueOf(4).equals(p.value(DURATION + "_count", "route", "ok", "service", "ok",
          "method", "GET", "status_class", "2xx")))
          .assertValue(4, DURATION + "_count", "route", "ok", "service", "ok", "method", "GET", "status_class", "2xx");
    }
  }

  @Test
  void answersTextOrOpenMetricsToGetAndHeadAnd405ToOtherMethods() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      var b = t.recordingBackend("b");
      t.startGateway(TestGateway.simpleConfig(b.port));
      assertEquals(200, get(t, "/x").statusCode());

      HttpResponse<String> text = admin(t, "GET", null);
      assertEquals(200, text.statusCode());
      assertEquals("text/plain; version=0.0.4; charset=utf-8", text.headers().firstValue("Content-Type").orElse(""));
      assertTrue(text.body().contains("# TYPE gateway_request_duration_seconds histogram"), text.body());
      PrometheusText.parse(text.body()).assertValue(1, DURATION + "_count", "route", "all", "service", "backend",
          "method", "GET", "status_class", "2xx");

      HttpResponse<String> head = admin(t, "HEAD", null);
      assertEquals(200, head.statusCode());
      assertEquals("text/plain; version=0.0.4; charset=utf-8", head.headers().firstValue("Content-Type").orElse(""));
      assertEquals("", head.body());

      HttpResponse<String> om = admin(t, "GET",
          "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
      assertEquals(200, om.statusCode());
      assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8",
          om.headers().firstValue("Content-Type").orElse(""));
      assertTrue(om.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");

      HttpResponse<String> post = admin(t, "POST", null);
      assertEquals(405, post.statusCode());
      assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
      assertEquals("application/problem+json", post.headers().firstValue("Content-Type").orElse(""));
    }
  }

  @Test
  void turnedOffThereIsNoEndpoint() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      var b = t.recordingBackend("b");
      t.startGateway(TestGateway.simpleConfig(b.port) + "observability: {metrics: {enabled: false}}\n");
      assertEquals(200, get(t, "/x").statusCode());
      assertEquals(404, admin(t, "GET", null).statusCode());
      assertEquals(200, AdminApi.get(t.adminPort(), "/health/ready").statusCode(), "the admin port still serves");
    }
  }
}
