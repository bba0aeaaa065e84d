package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The service's circuit breaker with its default settings (50% failures of at least 20 calls in a
 * 10 s window): it opens, answers 503 at once without calling the service, and closes again
 * through half-open probes when the service recovers. Every transition is logged.
 */
@Timeout(60)
class CircuitBreakerTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger breakers = (Logger) LoggerFactory.getLogger("dev.citizen.gateway.upstream.Breakers");

  @BeforeEach
  void captureLogs() {
    logs.start();
    breakers.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    breakers.detachAppender(logs);
  }

  private HttpResponse<String> get(TestGateway t, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(t.url(path))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Default breaker; {@code openFor} shortened so the test can watch it close; no retries. */
  private static String config(int port, String breaker) {
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
          backend:
            endpoints: [{url: "http://127.0.0.1:%d"}]
            timeouts: {connect: 2s, response: 10s}
            outlierDetection: {enabled: false}
            circuitBreaker: %s
        routes:
          - id: all
            match: {path: /**}
            service: backend
            retries: {attempts: 1}
        """.formatted(port, breaker);
  }

  private boolean logged(String text) {
    return logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
  }

  @Test
  void opensAtHalfFailuresWithinTheWindowAndClosesWhenTheServiceRecovers() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(false);
    AtomicInteger calls = new AtomicInteger();
    try (TestGateway t = TestGateway.create()) {
      int port = t.httpBackend(req -> {
        int n = calls.incrementAndGet();
        // Half the calls fail while the service is sick.
        req.response().setStatusCode(healthy.get() || n % 2 == 0 ? 200 : 500).end("ok");
      });
      t.startGateway(config(port, "{openFor: 1s, halfOpenCalls: 5}"));
      long start = System.nanoTime();
      int sent = 0;
      int opened = -1;
      while (sent < 100) {
        HttpResponse<String> r = get(t, "/x");
        sent++;
        if (r.statusCode() == 503) {
          assertTrue(r.body().contains("\"code\":\"circuit_open\""), r.body());
          assertTrue(r.headers().firstValue("Retry-After").isPresent());
          opened = sent;
          break;
        }
      }
      long openedAfterMillis = (System.nanoTime() - start) / 1_000_000;
      // At least minimumCalls (20) calls are needed, and the 21st is refused; well inside 10 s.
      assertEquals(21, opened, "the breaker opens right after 20 calls at 50% failures");
      assertTrue(openedAfterMillis < 10_000, "within the 10 s window: " + openedAfterMillis + " ms");
      assertTrue(TestGateway.eventually(2000, () -> logged("CLOSED -> OPEN")), "transition logged");

      // Open: answered at once, the service is not called.
      int before = calls.get();
      for (int i = 0; i < 20; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = get(t, "/x");
        assertEquals(503, r.statusCode());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 500, "fast answer while open");
      }
      assertEquals(before, calls.get(), "no call reaches the service while the circuit is open");

      // The service recovers; after openFor the half-open probes succeed and the circuit closes.
      healthy.set(true);
      Thread.sleep(1100);
      for (int i = 0; i < 5; i++) {
        assertEquals(200, get(t, "/probe").statusCode());
      }
      assertTrue(TestGateway.eventually(2000, () -> logged("HALF_OPEN -> CLOSED")), "closed again, logged");
      for (int i = 0; i < 30; i++) {
        assertEquals(200, get(t, "/after").statusCode());
      }
      assertTrue(logged("OPEN -> HALF_OPEN"));
    }
  }

  @Test
  void failingProbesOpenItAgain() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int port = t.httpBackend(req -> req.response().setStatusCode(503).end("down"));
      t.startGateway(config(port, "{openFor: 500ms, minimumCalls: 4, halfOpenCalls: 2}"));
      for (int i = 0; i < 4; i++) {
        assertEquals(503, get(t, "/x").statusCode());
      }
      assertTrue(get(t, "/x").body().contains("circuit_open"));
      Thread.sleep(600);
      get(t, "/probe1");
      get(t, "/probe2");
      assertTrue(TestGateway.eventually(2000, () -> logged("HALF_OPEN -> OPEN")), "failed probes reopen it");
      assertTrue(get(t, "/x").body().contains("circuit_open"));
    }
  }

  @Test
  void slowCallsOpenItToo() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      var slow = t.recordingBackend("slow", 150);
      t.startGateway(config(slow.port, "{slowCallThreshold: 50ms, minimumCalls: 5}"));
      int opened = -1;
      for (int i = 1; i <= 20 && opened < 0; i++) {
        HttpResponse<String> r = get(t, "/x");
        if (r.statusCode() == 503) {
          opened = i;
        } else {
          assertEquals(200, r.statusCode());
        }
      }
      assertEquals(6, opened, "5 slow calls (100% slow) open the circuit");
    }
  }

  @Test
  void canBeTurnedOff() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int port = t.httpBackend(req -> req.response().setStatusCode(500).end("down"));
      t.startGateway(config(port, "{enabled: false}"));
      for (int i = 0; i < 40; i++) {
        assertEquals(500, get(t, "/x").statusCode());
      }
    }
  }
}
