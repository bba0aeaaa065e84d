package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Automatic rollback under continuous load: a canary that fails every request is taken to weight
 * 0 within a few seconds, after which no client gets an error, and before which clients got no
 * more errors than the canary produced. With retries on, clients see no error at all.
 *
 * <p>"The rollback moment" is when the gateway logged it, as {@link System#nanoTime} in this
 * JVM; a request "after" it is one the client started later, so it was drawn after the weight
 * went to 0.
 */
@Timeout(60)
class CanaryRollbackTest {
  private static final int CLIENTS = 3;
  private static final long BOUND_MILLIS = 5000;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  @AutoClose
  private TestGateway t;
  @AutoClose
  private LogCapture logs;
  private int stablePort;
  private int canaryPort;
  /** What the canary answers to every request but /health. */
  private volatile int canaryStatus = 500;
  private volatile int canaryHealth = 200;
  private final AtomicInteger canaryServed = new AtomicInteger();

  @BeforeEach
  void backends() throws Exception {
    logs = LogCapture.of("dev.citizen.gateway.upstream.Service", "dev.citizen.gateway.server.ConfigReloader");
    t = TestGateway.create();
    stablePort = t.httpBackend(req -> req.response().end("stable"));
    canaryPort = t.httpBackend(req -> {
      if (req.path().equals("/health")) {
        req.response().setStatusCode(canaryHealth).end();
        return;
      }
      canaryServed.incrementAndGet();
      req.response().setStatusCode(canaryStatus).end("canary");
    });
  }

  /** stable/canary with the given weights, the test's rollback settings, and extra service and route keys. */
  private String config(int stableWeight, int canaryWeight, String serviceExtra, String routeExtra) {
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
          patients:
            versions:
              stable: {weight: %d, endpoints: [{url: "http://127.0.0.1:%d"}]}
              canary: {weight: %d, endpoints: [{url: "http://127.0.0.1:%d"}]}
            rollback: {errorRate: 20, window: 5s, minimumCalls: 10}
            timeouts: {connect: 1s, response: 5s}
        %s
        routes:
          - id: patients
            match: {path: /**}
            service: patients
        %s
        """.formatted(stableWeight, stablePort, canaryWeight, canaryPort, serviceExtra.indent(4),
        routeExtra.indent(4));
  }

  private static final String NO_BREAKER = "circuitBreaker: {enabled: false}\n";
  private static final String NO_OUTLIERS = "outlierDetection: {enabled: false}\n";
  private static final String NO_RETRIES = "retries: {attempts: 1}\n";

  private static Predicate<LogCapture.Line> rolledBack(String why) {
    return l -> l.level() == ch.qos.logback.classic.Level.WARN && l.message().contains("version canary rolled back "
        + "automatically") && l.message().contains(why);
  }

  /**
   * The brief's case: retries off and the service's circuit breaker off, so the only errors
   * clients can see are the canary's own; outlier detection off too, so that it is the error-rate
   * window (20% over 5 s, at least 10 calls) that acts.
   */
  @Test
  void errorRateRollsBackAFailingCanaryAndAdminCanGiveItTrafficAgain() throws Exception {
    t.startGateway(config(90, 10, NO_BREAKER + NO_OUTLIERS, NO_RETRIES));
    Result r = runUntilRollback(rolledBack("error rate"), 1500);
    r.assertCanaryOnlyErrorsThenNone(canaryServed.get());
    r.print("error-rate rollback (90/10, canary 500, no retries)");

    // The rollback survives a reload that leaves the file's weights alone ...
    t.rewriteConfig(config(90, 10, NO_BREAKER + NO_OUTLIERS, NO_RETRIES).replace("response: 5s", "response: 6s"));
    assertNotNull(logs.await(5000, l -> l.message().startsWith("config reloaded")), "reloaded");
    int servedBefore = canaryServed.get();
    try (Load load = new Load()) {
      Thread.sleep(500);
      load.stop();
      assertTrue(load.outcomes.stream().allMatch(o -> o.status == 200), "errors after the reload");
      assertTrue(load.outcomes.size() > 50, "requests after the reload: " + load.outcomes.size());
    }
    assertEquals(servedBefore, canaryServed.get(), "the canary got traffic after the reload");

    // ... and the admin API can give the canary traffic again: its window starts afresh, so the
    // still failing canary is rolled back a second time (a window left tripped never would be).
    JsonObject v = new JsonObject(admin("PUT", "/admin/services/patients/weights", "{\"canary\": 10}"));
    assertEquals(10, v.getJsonObject("versions").getJsonObject("canary").getInteger("weight"));
    try (Load load = new Load()) {
      assertNotNull(logs.awaitCount(BOUND_MILLIS, 2, rolledBack("error rate")), "second rollback");
    }
    assertTrue(canaryServed.get() >= servedBefore + 10, "the canary served " + (canaryServed.get() - servedBefore)
        + " requests after it was given traffic again");
  }

  /**
   * With outlier detection on (the default), the canary's endpoint is ejected after 5 failures in
   * a row, before its error-rate window has 10 calls: that is a rollback too, and a faster one.
   */
  @Test
  void ejectionOfEveryCanaryEndpointRollsItBack() throws Exception {
    t.startGateway(config(90, 10, NO_BREAKER, NO_RETRIES));
    Result r = runUntilRollback(rolledBack("every endpoint ejected"), 1000);
    r.assertCanaryOnlyErrorsThenNone(canaryServed.get());
    r.print("ejection rollback (90/10, canary 500, no retries)");
  }

  /**
   * Retries on (the route's defaults: a 503 is retried once) and a canary answering 503: a failed
   * canary attempt is retried on the stable version, so no client sees an error at all. At 50/50
   * this needs the retry to avoid the version that failed, or half the retries would land on
   * the canary again.
   */
  @Test
  void withRetriesClientsSeeNoErrorAtAll() throws Exception {
    canaryStatus = 503;
    t.startGateway(config(50, 50, NO_OUTLIERS, ""));
    Result r = runUntilRollback(rolledBack("error rate"), 1000);
    r.print("rollback with retries (50/50, canary 503, default retries and breaker)");
    assertEquals(0, r.errors(o -> true), () -> "client errors: " + r.errorSample());
    assertTrue(canaryServed.get() >= 10, "the canary served " + canaryServed.get() + " (failed) requests");
  }

  /**
   * The service's circuit breaker on and quick to open (30% of 10 calls), the canary failing at
   * 50/50: counted in the breaker, the canary's failures would open it before the rollback window
   * has its 10 canary calls, and then every client would get 503 for 30 s. A version under
   * automatic rollback answers to its own window only, so the breaker stays closed.
   */
  @Test
  void failingCanaryDoesNotOpenTheServiceCircuit() throws Exception {
    t.startGateway(config(50, 50, NO_OUTLIERS
        + "circuitBreaker: {failureRateThreshold: 30, minimumCalls: 10, window: 10s}\n", NO_RETRIES));
    Result r = runUntilRollback(rolledBack("error rate"), 1000);
    r.print("rollback with the service breaker on (50/50, canary 500, no retries)");
    assertEquals(0, r.errors(o -> o.status == 503), () -> "503s: " + r.errorSample());
    r.assertCanaryOnlyErrorsThenNone(canaryServed.get());
    assertTrue(logs.matching(l -> l.message().contains("circuit CLOSED -> OPEN")).isEmpty(), "the circuit opened");
  }

  /** Every canary endpoint failing its active health checks rolls the canary back. */
  @Test
  void failingHealthChecksRollTheCanaryBack() throws Exception {
    canaryStatus = 200; // it serves, but says it is unhealthy: only the health check can act
    t.startGateway(config(90, 10, NO_OUTLIERS + "healthCheck: {path: /health, interval: 200ms, timeout: 500ms, "
        + "unhealthyThreshold: 2, healthyThreshold: 1}\n", NO_RETRIES));
    canaryHealth = 503;
    Result r = runUntilRollback(rolledBack("fail health checks"), 1000);
    r.print("health-check rollback (90/10)");
    assertTrue(r.rollbackMillis < 2000, "rolled back after " + r.rollbackMillis + " ms (checks every 200 ms)");
    assertEquals(0, r.errors(o -> true), () -> "client errors: " + r.errorSample());
    assertEquals(0, r.outcomes.stream().filter(o -> o.startNanos > r.rollbackNanos && o.body.equals("canary")).count(),
        "canary answers after the rollback");
  }

  /** One client request: when the client started it, and what it got. */
  record Outcome(long startNanos, int status, String body) {}

  /** What one run saw. */
  record Result(List<Outcome> outcomes, long rollbackNanos, long rollbackMillis, int canaryServedAtRollback) {
    long errors(Predicate<Outcome> p) {
      return outcomes.stream().filter(o -> o.status != 200).filter(p).count();
    }

    long before() {
      return errors(o -> o.startNanos <= rollbackNanos);
    }

    long after() {
      return errors(o -> o.startNanos > rollbackNanos);
    }

    String errorSample() {
      return outcomes.stream().filter(o -> o.status != 200).limit(5).toList().toString();
    }

    void assertCanaryOnlyErrorsThenNone(int canaryServed) {
      assertTrue(rollbackMillis < BOUND_MILLIS, "rolled back after " + rollbackMillis + " ms");
      assertEquals(0, after(), () -> "client errors after the rollback: " + errorSample());
      assertTrue(before() <= canaryServed, "client errors " + before() + " > requests the canary served "
          + canaryServed);
      assertEquals(0, errors(o -> !o.body.equals("canary")), () -> "errors not from the canary: " + errorSample());
      assertEquals(0, outcomes.stream().filter(o -> o.startNanos > rollbackNanos && o.body.equals("canary")).count(),
          "the canary answered a request started after the rollback");
    }

    void print(String what) {
      System.out.printf("%s: rolled back after %d ms; %d requests, %d before the rollback; client errors %d "
          + "before, %d after; the canary served %d by then%n", what, rollbackMillis, outcomes.size(),
          outcomes.stream().filter(o -> o.startNanos <= rollbackNanos).count(), before(), after(),
          canaryServedAtRollback);
    }
  }

  /** Runs the load until {@code rollback} is logged, then {@code afterMillis} more. */
  private Result runUntilRollback(Predicate<LogCapture.Line> rollback, long afterMillis) throws Exception {
    long start = System.nanoTime();
    try (Load load = new Load()) {
      LogCapture.Line line = logs.await(BOUND_MILLIS + 5000, rollback);
      int served = canaryServed.get();
      assertNotNull(line, () -> "no rollback logged; errors so far: " + load.outcomes.stream()
          .filter(o -> o.status != 200).count() + ", canary served " + canaryServed.get() + "; log: " + logs.lines);
      Thread.sleep(afterMillis);
      load.stop();
      return new Result(new ArrayList<>(load.outcomes), line.nanos(),
          TimeUnit.NANOSECONDS.toMillis(line.nanos() - start), served);
    }
  }

  private String admin(String method, String path, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.adminPort() + path))
        .method(method, HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(5))
        .header("Authorization", AdminApi.AUTHORIZATION).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  /** {@value #CLIENTS} clients sending GETs one after the other until stopped. */
  private final class Load implements AutoCloseable {
    final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    Load() {
      for (int i = 0; i < CLIENTS; i++) {
        Thread th = new Thread(this::run, "load-" + i);
        th.start();
        threads.add(th);
      }
    }

    private void run() {
      int n = 0;
      while (running) {
        long start = System.nanoTime();
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(t.url("/api/patients/" + n++)))
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
          outcomes.add(new Outcome(start, r.statusCode(), r.body()));
        } catch (Exception e) {
          if (running) {
            outcomes.add(new Outcome(start, -1, e.toString()));
          }
        }
      }
    }

    void stop() throws InterruptedException {
      running = false;
      for (Thread th : threads) {
        th.join(15_000);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }
}
