package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.blackbox.OtlpReceiver.Exported;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OpenTelemetry spans, end to end: the real gateway exports over OTLP/HTTP to a real receiver
 * ({@link OtlpReceiver}) that decodes the protobuf, and the tests read the spans it got: one server
 * span per request, one client span per attempt, their parent links, ids equal to those the client
 * and the service saw, attributes, status and events; sampling (ratio and the caller's flag); and
 * the flush at close.
 */
@Timeout(60)
class TracingBlackBoxTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /**
   * Service {@code patients} at {@code endpoints}, route {@code patients} for {@code /api/**},
   * tracing to {@code otlp} with a short schedule delay; {@code tracing}, {@code service} and
   * {@code route} add settings.
   */
  private static String config(String endpoints, OtlpReceiver otlp, String tracing, String service, String route) {
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
          patients:
            endpoints: [%s]
            timeouts: {connect: 2s, response: 10s}
            outlierDetection: {enabled: false}
        %s
        routes:
          - id: patients
            match: {path: /api/**}
            service: patients
        %s
        observability:
          tracing: {enabled: true, endpoint: "%s", serviceName: gateway-under-test, scheduleDelay: 50ms%s}
        """.formatted(endpoints, service, route, otlp.endpoint(), tracing);
  }

  private static String endpoint(int port) {
    return "{url: \"http://127.0.0.1:" + port + "\"}";
  }

  private HttpResponse<String> send(TestGateway t, String method, String path, String traceparent)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.url(path))).timeout(Duration.ofSeconds(10))
        .header("User-Agent", "tracing-test")
        .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\"}")
            : HttpRequest.BodyPublishers.noBody());
    if (traceparent != null) {
      b.header("traceparent", traceparent).header("tracestate", "vendor=opaque");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String traceparent(HttpResponse<?> r) {
    return r.headers().firstValue("traceparent").orElseThrow();
  }

  private static List<Exported> ofKind(List<Exported> spans, SpanKind kind) {
    List<Exported> out = new ArrayList<>(spans.stream().filter(s -> s.kind() == kind).toList());
    out.sort(Comparator.comparingLong(s -> s.span().getStartTimeUnixNano()));
    return out;
  }

  /** The one span of {@code kind} among {@code spans}; fails, showing them, when there is not exactly one. */
  private static Exported one(List<Exported> spans, SpanKind kind) {
    List<Exported> found = ofKind(spans, kind);
    assertEquals(1, found.size(), "one " + kind + " span expected among " + spans);
    return found.get(0);
  }

  private static void closeGateway(TestGateway t) throws Exception {
    t.gateway.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void retriedRequestHasAServerSpanAndAClientSpanPerAttemptUnderTheCallersSpan() throws Exception {
    Queue<String> upstream = new ConcurrentLinkedQueue<>();
    AtomicInteger calls = new AtomicInteger();
    try (OtlpReceiver otlp = OtlpReceiver.start(); TestGateway t = TestGateway.create()) {
      // Whichever endpoint gets the first attempt answers 503; the retry goes to the other one.
      Handler<HttpServerRequest> backend = req -> {
        upstream.add(req.getHeader("traceparent"));
        req.response().setStatusCode(calls.getAndIncrement() == 0 ? 503 : 200).end("ok");
      };
      int a = t.httpBackend(backend);
      int b = t.httpBackend(backend);
      t.startGateway(config(endpoint(a) + ", " + endpoint(b), otlp, "", "    circuitBreaker: {enabled: false}", ""));

      HttpResponse<String> r = send(t, "GET", "/api/patients/7?name=Ada+Lovelace", "00-" + TRACE + "-" + CALLER_SPAN
          + "-01");
      assertEquals(200, r.statusCode());
      String back = traceparent(r);
      assertTrue(back.matches("00-" + TRACE + "-[0-9a-f]{16}-01"), back);
      String serverSpanId = back.substring(36, 52);

      List<Exported> spans = otlp.awaitTrace(TRACE, 3);
      List<Exported> servers = ofKind(spans, SpanKind.SPAN_KIND_SERVER);
      List<Exported> clients = ofKind(spans, SpanKind.SPAN_KIND_CLIENT);
      assertEquals(1, servers.size(), "one server span per request: " + spans);
      assertEquals(2, clients.size(), "one client span per attempt: " + spans);

      Exported server = servers.get(0);
      assertEquals(serverSpanId, server.spanId(), "the client's traceparent names the exported server span");
      assertEquals(CALLER_SPAN, server.parentSpanId(), "the caller's span is the parent");
      assertEquals("vendor=opaque", server.span().getTraceState());
      assertEquals("gateway-under-test", server.serviceName());
      assertEquals("GET patients", server.span().getName());
      assertEquals("GET", server.attr("http.request.method"));
      assertEquals("/api/patients/7", server.attr("url.path"), "normalised path, no query");
      assertEquals("patients", server.attr("http.route"));
      assertEquals(200L, server.attr("http.response.status_code"));
      assertEquals("127.0.0.1", server.attr("client.address"));
      assertNull(server.attr("user_agent.original"), "may carry personal data; the access log has it, masked");
      assertNull(server.attr("network.protocol.version"), "HTTP/1.1 is the default, not repeated per span");
      assertEquals(r.headers().firstValue("X-Request-Id").orElseThrow(), server.attr("gateway.request_id"));
      assertEquals(List.of("retry"), server.events());
      assertFalse(server.isError());

      Exported first = clients.get(0);
      Exported second = clients.get(1);
      for (Exported c : clients) {
        assertEquals(serverSpanId, c.parentSpanId(), "client spans are children of the server span");
        assertEquals("GET", c.span().getName());
        assertEquals("GET", c.attr("http.request.method"));
        assertEquals("127.0.0.1", c.attr("server.address"));
        assertEquals("http://127.0.0.1:" + c.attr("server.port") + "/api/patients/7", c.attr("url.full"),
            "the URL sent upstream, without the query");
      }
      assertEquals(Set.of((long) a, (long) b), Set.of(first.attr("server.port"), second.attr("server.port")),
          "the retry went to the other endpoint");
      assertEquals(503L, first.attr("http.response.status_code"));
      assertEquals("503", first.attr("error.type"));
      assertTrue(first.isError());
      assertNull(first.attr("http.request.resend_count"), "semconv: absent on the first try");
      assertEquals(200L, second.attr("http.response.status_code"));
      assertEquals(1L, second.attr("http.request.resend_count"));
      assertFalse(second.isError());
      assertNull(second.attr("error.type"));

      // The service's spans are children of the client span of the attempt that reached it.
      assertEquals(List.of("00-" + TRACE + "-" + first.spanId() + "-01", "00-" + TRACE + "-" + second.spanId()
          + "-01"), List.copyOf(upstream));
      for (Exported s : spans) {
        assertFalse(s.span().toString().contains("Lovelace"), "the query string is never recorded: " + s);
      }
      assertEquals(List.of(), otlp.mistakes());
    }
  }

  @Test
  void aTraceStartsHereWhenTheCallerSentNoneAndHeadersGoToTheCollector() throws Exception {
    Queue<String> upstream = new ConcurrentLinkedQueue<>();
    try (OtlpReceiver otlp = OtlpReceiver.start(); TestGateway t = TestGateway.create()) {
      int port = t.httpBackend(req -> {
        upstream.add(req.getHeader("traceparent"));
        req.response().end("ok");
      });
      t.startGateway(config(endpoint(port), otlp, ", headers: {Authorization: \"Bearer t0ken\"}", "", ""));

      HttpResponse<String> r = send(t, "GET", "/api/patients", null);
      assertEquals(200, r.statusCode());
      String back = traceparent(r);
      assertTrue(back.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), back);
      String traceId = back.substring(3, 35);
      List<Exported> spans = otlp.awaitTrace(traceId, 2);
      Exported server = one(spans, SpanKind.SPAN_KIND_SERVER);
      Exported client = one(spans, SpanKind.SPAN_KIND_CLIENT);
      assertEquals("", server.parentSpanId(), "a root span: the trace started at the gateway");
      assertEquals(back.substring(36, 52), server.spanId());
      assertEquals(server.spanId(), client.parentSpanId());
      assertEquals("00-" + traceId + "-" + client.spanId() + "-01", upstream.poll());
      assertEquals("Bearer t0ken", server.authorization(), "configured headers are sent with exports");

      // Personal data in a path is masked as in the access log: spans leave for a collector.
      HttpResponse<String> phi = send(t, "GET", "/api/patients/jane.doe%40example.org/ssn/123-45-6789", null);
      List<Exported> phiSpans = otlp.awaitTrace(traceparent(phi).substring(3, 35), 2);
      Exported phiServer = one(phiSpans, SpanKind.SPAN_KIND_SERVER);
      Exported phiClient = one(phiSpans, SpanKind.SPAN_KIND_CLIENT);
      assertEquals("/api/patients/[email]/ssn/[id]", phiServer.attr("url.path"));
      assertTrue(((String) phiClient.attr("url.full")).endsWith("/api/patients/[email]/ssn/[id]"),
          String.valueOf(phiClient.attr("url.full")));
      for (Exported s : phiSpans) {
        assertFalse(s.span().toString().contains("jane.doe") || s.span().toString().contains("6789"), s.toString());
      }

      // A gateway-made answer is traced too: a server span alone, a 4xx is not the gateway's error.
      HttpResponse<String> none = send(t, "GET", "/nowhere", null);
      assertEquals(404, none.statusCode());
      String noneTrace = traceparent(none).substring(3, 35);
      closeGateway(t); // flushes: every span of both requests has arrived
      List<Exported> lone = otlp.trace(noneTrace);
      assertEquals(1, lone.size(), "no attempt, no client span: " + lone);
      assertEquals(SpanKind.SPAN_KIND_SERVER, lone.get(0).kind());
      assertEquals(404L, lone.get(0).attr("http.response.status_code"));
      assertEquals("no_route", lone.get(0).attr("gateway.problem"));
      assertNull(lone.get(0).attr("http.route"));
      assertEquals("GET", lone.get(0).span().getName());
      assertFalse(lone.get(0).isError());
      assertEquals(List.of(), otlp.mistakes());
    }
  }

  /**
   * What the connection guard refuses is traced too: a root SERVER span carrying the request id
   * the client was answered with, in the trace the access line names.
   */
  @Test
  void aRequestTheGuardRefusesHasASpanInTheTraceItsAccessLineNames() throws Exception {
    try (OtlpReceiver otlp = OtlpReceiver.start(); TestGateway t = TestGateway.create();
        LogCapture access = LogCapture.of("access")) {
      int port = t.httpBackend(req -> req.response().end("ok"));
      t.startGateway(config(endpoint(port), otlp, "", "", ""));
      String answer = RawHttp.responseTo(t.port(),
          "GET /api/patients HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
      assertEquals(400, RawHttp.statusOf(answer), answer);
      String requestId = RawHttp.headerOf(answer, "X-Request-Id");
      assertNotNull(requestId, answer);
      LogCapture.Line line = access.await(5000, l -> l.message().contains(requestId));
      assertNotNull(line, "an access line for " + requestId + ": " + access.lines);
      String traceId = new io.vertx.core.json.JsonObject(line.message()).getString("traceId");

      List<Exported> spans = otlp.awaitTrace(traceId, 1);
      Exported server = one(spans, SpanKind.SPAN_KIND_SERVER);
      assertEquals(1, spans.size(), "nothing was sent upstream: " + spans);
      assertEquals("", server.parentSpanId());
      assertEquals(requestId, server.attr("gateway.request_id"));
      assertEquals(400L, server.attr("http.response.status_code"));
      assertEquals("bad_request", server.attr("gateway.problem"));
      assertEquals("_OTHER", server.attr("http.request.method"));
      assertEquals("127.0.0.1", server.attr("client.address"));
      assertNull(server.attr("url.path"));
      assertFalse(server.isError(), "a 4xx is the client's error, not the gateway's");
      assertEquals(List.of(), otlp.mistakes());
    }
  }

  @Test
  void failuresAreErrorsWithTheirTypeAndAnOpenCircuitIsAnEvent() throws Exception {
    try (OtlpReceiver otlp = OtlpReceiver.start(); TestGateway t = TestGateway.create()) {
      int port = t.httpBackend(req -> req.response().setStatusCode(500).end("broken"));
      t.startGateway(config(endpoint(port), otlp, "",
          "    circuitBreaker: {minimumCalls: 2, openFor: 30s}", "    retries: {attempts: 1}"));
      List<String> failed = new ArrayList<>();
      String open = null;
      for (int i = 0; i < 10 && open == null; i++) {
        HttpResponse<String> r = send(t, "GET", "/api/x", null);
        if (r.body().contains("circuit_open")) {
          open = traceparent(r).substring(3, 35);
        } else {
          assertEquals(500, r.statusCode());
          failed.add(traceparent(r).substring(3, 35));
        }
      }
      assertTrue(open != null, "the circuit opened");
      closeGateway(t); // flushes: every span of these requests has arrived

      for (String trace : failed) {
        List<Exported> spans = otlp.trace(trace);
        Exported server = one(spans, SpanKind.SPAN_KIND_SERVER);
        Exported client = one(spans, SpanKind.SPAN_KIND_CLIENT);
        assertTrue(server.isError(), "a 5xx is the server span's error");
        assertEquals("500", server.attr("error.type"));
        assertTrue(client.isError());
        assertEquals("500", client.attr("error.type"));
      }
      List<Exported> refused = otlp.trace(open);
      assertEquals(1, refused.size(), "the service was not called: no client span: " + refused);
      Exported server = refused.get(0);
      assertEquals(List.of("circuit_open"), server.events());
      assertEquals(503L, server.attr("http.response.status_code"));
      assertEquals("circuit_open", server.attr("error.type"));
      assertEquals("circuit_open", server.attr("gateway.problem"));
      assertTrue(server.isError());
      assertEquals(List.of(), otlp.mistakes());
    }
  }

  @Test
  void transportFailuresAreClientSpanErrorsWithoutAStatus() throws Exception {
    try (OtlpReceiver otlp = OtlpReceiver.start(); TestGateway t = TestGateway.create()) {
      int closed = TestGateway.refusingPort();
      t.startGateway(config(endpoint(closed), otlp, "", "    circuitBreaker: {enabled: false}", ""));
      HttpResponse<String> r = send(t, "POST", "/api/patients", null);
      assertEquals(502, r.statusCode());
      String traceId = traceparent(r).substring(3, 35);
      closeGateway(t);
      List<Exported> spans = otlp.trace(traceId);
      Exported server = one(spans, SpanKind.SPAN_KIND_SERVER);
      List<Exported> clients = ofKind(spans, SpanKind.SPAN_KIND_CLIENT);
      assertEquals(2, clients.size(), "a connect failure is retried, for POST too: " + spans);
      for (Exported c : clients) {
        assertEquals("connect_failed", c.attr("error.type"));
        assertNull(c.attr("http.response.status_code"), "no response came");
        assertEquals((long) closed, c.attr("server.port"));
        assertTrue(c.isError());
      }
      assertEquals("POST", server.attr("http.request.method"));
      assertEquals(List.of("retry"), server.events());
      assertEquals(502L, server.attr("http.response.status_code"));
      assertTrue(server.isError());
      assertEquals(server.attr("gateway.problem"), server.attr("error.type"));
    }
  }

  @Test
  void samplingRatioZeroExportsNothingYetTraceContextStillFlows() throws Exception {
    Queue<String> upstream = new ConcurrentLinkedQueue<>();
    try (OtlpReceiver otlp = OtlpReceiver.start(); TestGateway t = TestGateway.create()) {
      int port = t.httpBackend(req -> {
        upstream.add(req.getHeader("traceparent"));
        req.response().end("ok");
      });
      t.startGateway(config(endpoint(port), otlp, ", samplingRatio: 0", "", ""));
      List<String> unsampled = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> r = send(t, "GET", "/api/patients", null);
        assertEquals(200, r.statusCode());
        String back = traceparent(r);
        assertTrue(back.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00"), "returned, flagged not sampled: " + back);
        String up = upstream.poll();
        assertEquals(back.substring(3, 35), up.substring(3, 35), "the service joins the trace");
        assertNotEquals(back.substring(36, 52), up.substring(36, 52), "its parent is the attempt's span");
        assertTrue(up.endsWith("-00"), up);
        unsampled.add(back.substring(3, 35));
      }
      // Parent-based: a caller that sampled its trace is followed whatever the ratio.
      HttpResponse<String> followed = send(t, "GET", "/api/patients", "00-" + TRACE + "-" + CALLER_SPAN + "-01");
      assertTrue(traceparent(followed).endsWith("-01"));
      closeGateway(t);

      Set<String> exported = otlp.spans().stream().map(Exported::traceId).collect(Collectors.toSet());
      assertEquals(Set.of(TRACE), exported, "only the sampled caller's trace; none of " + unsampled);
      assertEquals(2, otlp.trace(TRACE).size());
    }
  }

  @Test
  void aCallerThatDidNotSampleIsFollowedAtRatioOne() throws Exception {
    Queue<String> upstream = new ConcurrentLinkedQueue<>();
    try (OtlpReceiver otlp = OtlpReceiver.start(); TestGateway t = TestGateway.create()) {
      int port = t.httpBackend(req -> {
        upstream.add(req.getHeader("traceparent"));
        req.response().end("ok");
      });
      t.startGateway(config(endpoint(port), otlp, "", "", ""));
      HttpResponse<String> r = send(t, "GET", "/api/patients", "00-" + TRACE + "-" + CALLER_SPAN + "-00");
      assertTrue(traceparent(r).matches("00-" + TRACE + "-[0-9a-f]{16}-00"), traceparent(r));
      assertTrue(upstream.poll().matches("00-" + TRACE + "-[0-9a-f]{16}-00"));
      HttpResponse<String> own = send(t, "GET", "/api/patients", null);
      String ownTrace = traceparent(own).substring(3, 35);
      closeGateway(t);

      Set<String> exported = otlp.spans().stream().map(Exported::traceId).collect(Collectors.toSet());
      assertEquals(Set.of(ownTrace), exported, "the unsampled caller's trace is not exported");
    }
  }

  @Test
  void spansOfTheLastRequestsArriveAfterClose() throws Exception {
    try (OtlpReceiver otlp = OtlpReceiver.start(); TestGateway t = TestGateway.create()) {
      int port = t.httpBackend(req -> req.response().end("ok"));
      // Nothing is exported on a timer within the test: only a full batch (512) or the close.
      t.startGateway(config(endpoint(port), otlp, ", scheduleDelay: 1h", "", "").replace("scheduleDelay: 50ms, ", ""));
      Set<String> traces = new java.util.HashSet<>();
      for (int i = 0; i < 3; i++) {
        traces.add(traceparent(send(t, "GET", "/api/patients", null)).substring(3, 35));
      }
      Thread.sleep(300);
      assertEquals(List.of(), otlp.spans(), "still queued");
      closeGateway(t);
      List<Exported> spans = otlp.spans();
      assertEquals(6, spans.size(), "3 server and 3 client spans, exported by the close: " + spans);
      assertEquals(traces, spans.stream().map(Exported::traceId).collect(Collectors.toSet()));
    }
  }

  @Test
  void aFailingCollectorIsReportedInTheGatewayLogAndRequestsGoOn() throws Exception {
    try (LogCapture logs = LogCapture.of("io.opentelemetry");
        OtlpReceiver otlp = OtlpReceiver.start(); TestGateway t = TestGateway.create()) {
      int port = t.httpBackend(req -> req.response().end("ok"));
      // A collector that refuses: 401, which the exporter does not retry.
      int collector = t.httpBackend(req -> req.body().onComplete(b -> req.response().setStatusCode(401).end()));
      t.startGateway(config(endpoint(port), otlp, "", "", "").replace(otlp.endpoint(),
          "http://127.0.0.1:" + collector + "/v1/traces"));
      for (int i = 0; i < 5; i++) {
        long start = System.nanoTime();
        assertEquals(200, send(t, "GET", "/api/patients", null).statusCode());
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "requests do not wait for the exporter");
      }
      LogCapture.Line failed = logs.await(10_000, l -> l.message().contains("Failed to export")
          && l.message().contains("401"));
      assertTrue(failed != null, "the SDK's report is in the gateway's log: " + logs.lines);
      assertEquals(ch.qos.logback.classic.Level.WARN, failed.level());
    }
  }
}
