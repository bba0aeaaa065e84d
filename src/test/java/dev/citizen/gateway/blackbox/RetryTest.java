package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retries: which failures and methods are retried, on another endpoint, with the body sent again
 * only when it was kept, within the overall deadline and the service's retry budget.
 */
@Timeout(60)
class RetryTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> send(TestGateway t, String method, String path, HttpRequest.BodyPublisher body)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(t.url(path))).timeout(Duration.ofSeconds(10))
        .method(method, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(TestGateway t, String path) throws Exception {
    return send(t, "GET", path, HttpRequest.BodyPublishers.noBody());
  }

  /** Two endpoints; route settings under {@code route}, service settings under {@code service}. */
  private static String config(int a, int b, String service, String route) {
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
          backend:
            endpoints: [{url: "http://127.0.0.1:%d"}, {url: "http://127.0.0.1:%d"}]
            timeouts: {connect: 2s, response: 10s}
            outlierDetection: {enabled: false}
            circuitBreaker: {enabled: false}
        %s
        routes:
          - id: all
            match: {path: /**}
            service: backend
        %s
        """.formatted(a, b, service, route);
  }

  /** A backend that answers {@code status} and counts requests and the bytes of their bodies. */
  private static int failing(TestGateway t, int status, AtomicInteger hits) throws Exception {
    return t.httpBackend(req -> req.body().onSuccess(b -> {
      hits.incrementAndGet();
      req.response().setStatusCode(status).end("status " + status);
    }));
  }

  @Test
  void idempotentRequestIsRetriedOnTheOtherEndpoint() throws Exception {
    AtomicInteger badHits = new AtomicInteger();
    try (TestGateway t = TestGateway.create()) {
      int bad = failing(t, 503, badHits);
      var good = t.recordingBackend("good");
      t.startGateway(config(bad, good.port, "", ""));
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r = get(t, "/r/" + i);
        assertEquals(200, r.statusCode(), "every GET ends at the good endpoint");
        assertEquals("good", r.body());
      }
      assertEquals(10, badHits.get(), "round robin sends every other first try to the bad one, once");
      assertEquals(20, good.completed.get());
    }
  }

  @Test
  void smallBodyIsSentAgainWhole() throws Exception {
    AtomicInteger badHits = new AtomicInteger();
    try (TestGateway t = TestGateway.create()) {
      int bad = failing(t, 502, badHits);
      var good = t.recordingBackend("good");
      t.startGateway(config(bad, good.port, "", ""));
      String body = "x".repeat(5000);
      for (int i = 0; i < 4; i++) {
        HttpResponse<String> r = send(t, "PUT", "/put/" + i, HttpRequest.BodyPublishers.ofString(body));
        assertEquals(200, r.statusCode());
      }
      assertEquals(2, badHits.get());
      assertTrue(good.received.stream().allMatch(s -> s.bodyBytes() == 5000), "whole body every time");
      assertEquals(4, good.completed.get());
    }
  }

  @Test
  void postIsNotRetriedAfterTheServiceSawIt() throws Exception {
    AtomicInteger badHits = new AtomicInteger();
    try (TestGateway t = TestGateway.create()) {
      int bad = failing(t, 503, badHits);
      var good = t.recordingBackend("good");
      t.startGateway(config(bad, good.port, "", ""));
      int failures = 0;
      for (int i = 0; i < 10; i++) {
        if (send(t, "POST", "/post", HttpRequest.BodyPublishers.ofString("{}")).statusCode() == 503) {
          failures++;
        }
      }
      assertEquals(5, failures, "POST is not idempotent: the 503 goes to the client");
      assertEquals(5, badHits.get());
    }
  }

  @Test
  void refusedConnectionIsRetriedForEveryMethodAndStreamedBodies() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int closed = TestGateway.refusingPort();
      var good = t.recordingBackend("good");
      t.startGateway(config(closed, good.port, "", ""));
      for (int i = 0; i < 6; i++) {
        // A body without a length streams (it is not kept), but the refused connect happened
        // before any of it was read.
        HttpResponse<String> r = send(t, "POST", "/p", HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(new byte[100_000])));
        assertEquals(200, r.statusCode());
      }
      assertTrue(good.received.stream().allMatch(s -> s.bodyBytes() == 100_000));
    }
  }

  @Test
  void streamedBodyIsNotRetriedOnceSent() throws Exception {
    AtomicInteger badHits = new AtomicInteger();
    try (TestGateway t = TestGateway.create()) {
      int bad = failing(t, 503, badHits);
      var good = t.recordingBackend("good");
      // Bodies above maxBufferedBody are streamed, so a 503 after they were sent stays a 503.
      t.startGateway(config(bad, good.port, "", "    retries: {maxBufferedBody: 1KiB}"));
      int failures = 0;
      for (int i = 0; i < 4; i++) {
        if (send(t, "PUT", "/big", HttpRequest.BodyPublishers.ofString("y".repeat(10_000))).statusCode() == 503) {
          failures++;
        }
      }
      assertEquals(2, failures);
      assertEquals(2, badHits.get());
    }
  }

  @Test
  void retryBudgetCapsTheExtraLoadOnAFailingService() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    try (TestGateway t = TestGateway.create()) {
      int a = failing(t, 503, hits);
      int b = failing(t, 503, hits);
      t.startGateway(config(a, b, "    retryBudget: {percent: 20, minPerSecond: 0}",
          "    retries: {attempts: 3, backoff: 1ms, maxBackoff: 2ms}"));
      int requests = 200;
      for (int i = 0; i < requests; i++) {
        assertEquals(503, get(t, "/b").statusCode());
      }
      int retries = hits.get() - requests;
      // Without a budget every request would be tried 3 times (400 retries).
      assertTrue(retries <= requests * 20 / 100, "retries " + retries + " within 20% of " + requests);
      assertTrue(retries >= requests * 20 / 100 - 2, "the budget is used, not refused: " + retries);
    }
  }

  @Test
  void overallDeadlineAnswers504InTime() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      var slow = t.recordingBackend("slow", 3000);
      var slow2 = t.recordingBackend("slow2", 3000);
      t.startGateway(config(slow.port, slow2.port, "", "    timeouts: {response: 5s, total: 400ms}"));
      long start = System.nanoTime();
      HttpResponse<String> r = get(t, "/slow");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(504, r.statusCode());
      assertTrue(r.body().contains("deadline"), r.body());
      assertTrue(millis >= 350 && millis < 2000, millis + " ms");
    }
  }

  @Test
  void perAttemptResponseTimeoutIsRetried() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      var slow = t.recordingBackend("slow", 3000);
      var fast = t.recordingBackend("fast");
      t.startGateway(config(slow.port, fast.port, "", "    timeouts: {response: 300ms, total: 2s}"));
      for (int i = 0; i < 4; i++) {
        HttpResponse<String> r = get(t, "/t");
        assertEquals(200, r.statusCode());
        assertEquals("fast", r.body());
      }
    }
  }
}
