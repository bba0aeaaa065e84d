package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * W3C trace context, always on: a caller's trace is joined and passed on, a new one starts when
 * there is none (or it is malformed), and the client gets the gateway's traceparent back.
 */
@Timeout(30)
class TraceContextBlackBoxTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void callersTraceIsJoinedAndPropagated() throws Exception {
    Queue<String[]> seen = new ConcurrentLinkedQueue<>();
    try (TestGateway t = TestGateway.create()) {
      int port = t.httpBackend(req -> {
        seen.add(new String[] {req.getHeader("traceparent"), req.getHeader("tracestate")});
        req.response().end("ok");
      });
      t.startGateway(TestGateway.simpleConfig(port));
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(t.url("/a")))
          .header("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01")
          .header("tracestate", "vendor=opaque").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      String back = r.headers().firstValue("traceparent").orElseThrow();
      assertTrue(back.matches("00-" + TRACE + "-[0-9a-f]{16}-01"), back);
      assertNotEquals("00f067aa0ba902b7", back.substring(36, 52), "the gateway's own span, not the caller's");
      String[] up = seen.poll();
      assertNotNull(up);
      assertTrue(up[0].matches("00-" + TRACE + "-[0-9a-f]{16}-01"), up[0]);
      assertNotEquals("00f067aa0ba902b7", up[0].substring(36, 52), "the service's parent is the gateway");
      assertEquals("vendor=opaque", up[1]);
    }
  }

  @Test
  void aNewTraceStartsWithoutOrWithAMalformedTraceparent() throws Exception {
    Queue<String> seen = new ConcurrentLinkedQueue<>();
    try (TestGateway t = TestGateway.create()) {
      int port = t.httpBackend(req -> {
        seen.add(String.valueOf(req.getHeader("traceparent")));
        req.response().end("ok");
      });
      t.startGateway(TestGateway.simpleConfig(port));
      HttpResponse<String> a = http.send(HttpRequest.newBuilder(URI.create(t.url("/a"))).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> b = http.send(HttpRequest.newBuilder(URI.create(t.url("/b")))
          .header("traceparent", "00-XYZ-bad-01").build(), HttpResponse.BodyHandlers.ofString());
      String ta = a.headers().firstValue("traceparent").orElseThrow();
      String tb = b.headers().firstValue("traceparent").orElseThrow();
      assertTrue(ta.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), ta);
      assertTrue(tb.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), tb);
      assertNotEquals(ta.substring(3, 35), tb.substring(3, 35), "two new traces");
      assertEquals(ta.substring(3, 35), seen.poll().substring(3, 35), "the service is in the same trace");
      assertEquals(tb.substring(3, 35), seen.poll().substring(3, 35));
    }
  }

  @Test
  void gatewayMadeAnswersCarryATraceToo() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      t.startGateway(TestGateway.simpleConfig(TestGateway.refusingPort()));
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(t.url("/x")))
          .header("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-00").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(502, r.statusCode());
      assertTrue(r.headers().firstValue("traceparent").orElseThrow().matches("00-" + TRACE + "-[0-9a-f]{16}-00"),
          "not sampled by the caller: the flag is kept");
    }
  }
}
