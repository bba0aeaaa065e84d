package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ambiguous or malformed HTTP/1.1 framing is answered 400 by the gateway and never reaches a
 * service: the backend counts every request head it receives, and must see none.
 */
@Timeout(30)
class FramingBlackBoxTest {
  @AutoClose
  private static TestGateway t;
  private static TestGateway.RecordingBackend backend;

  @BeforeAll
  static void start() throws Exception {
    t = TestGateway.create();
    backend = t.recordingBackend("b");
    t.startGateway(TestGateway.simpleConfig(backend.port));
  }

  private static final String POST = "POST /upload HTTP/1.1\r\nHost: example.org\r\n";

  static Stream<Arguments> ambiguous() {
    return Stream.of(
        Arguments.of("CL then TE", POST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("TE then CL", POST + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"),
        Arguments.of("CL 0 with TE", POST + "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("differing CL lines", POST + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
        Arguments.of("differing CL list", POST + "Content-Length: 5, 6\r\n\r\nhello!"),
        Arguments.of("signed CL", POST + "Content-Length: +5\r\n\r\nhello"),
        Arguments.of("negative CL", POST + "Content-Length: -1\r\n\r\n"),
        Arguments.of("hex CL", POST + "Content-Length: 0x5\r\n\r\nhello"),
        Arguments.of("empty CL", POST + "Content-Length: \r\n\r\n"),
        Arguments.of("CL with space inside", POST + "Content-Length: 1 2\r\n\r\nhello hello!"),
        Arguments.of("xchunked", POST + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("chunked, chunked", POST + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("gzip, chunked", POST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("chunked, identity", POST + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"),
        Arguments.of("identity", POST + "Transfer-Encoding: identity\r\n\r\n"),
        Arguments.of("chunked;", POST + "Transfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n"),
        Arguments.of("chunked trailing comma", POST + "Transfer-Encoding: chunked,\r\n\r\n0\r\n\r\n"),
        Arguments.of("VT before chunked", POST + "Transfer-Encoding: \u000bchunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("FF after chunked", POST + "Transfer-Encoding: chunked\u000c\r\n\r\n0\r\n\r\n"),
        Arguments.of("two TE lines", POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("TE then bogus TE", POST + "Transfer-Encoding: chunked\r\ntransfer-encoding: x\r\n\r\n0\r\n\r\n"),
        Arguments.of("space before colon on TE", POST + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("tab before colon on CL", POST + "Content-Length\t: 5\r\n\r\nhello"),
        Arguments.of("space before colon on Host", "GET / HTTP/1.1\r\nHost : example.org\r\n\r\n"),
        Arguments.of("obs-fold", "GET / HTTP/1.1\r\nHost: example.org\r\nX-A: a\r\n b\r\n\r\n"),
        Arguments.of("obs-fold with tab", "GET / HTTP/1.1\r\nHost: example.org\r\nX-A: a\r\n\tb\r\n\r\n"),
        Arguments.of("obs-fold into TE", POST + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("obs-fold on first line", "GET / HTTP/1.1\r\n Host: example.org\r\n\r\n"),
        Arguments.of("CTL in value", "GET / HTTP/1.1\r\nHost: example.org\r\nX-A: a\u0001b\r\n\r\n"),
        Arguments.of("NUL in value", "GET / HTTP/1.1\r\nHost: example.org\r\nX-A: a\u0000b\r\n\r\n"),
        Arguments.of("DEL in value", "GET / HTTP/1.1\r\nHost: example.org\r\nX-A: a\u007fb\r\n\r\n"),
        Arguments.of("bare CR in value", "GET / HTTP/1.1\r\nHost: example.org\r\nX-A: a\rb\r\n\r\n"),
        Arguments.of("bare LF line ends", "GET / HTTP/1.1\nHost: example.org\n\n"),
        Arguments.of("bare LF after a header", "GET / HTTP/1.1\r\nHost: example.org\nX-A: b\r\n\r\n"),
        Arguments.of("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("no Host in HTTP/1.1", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n"),
        Arguments.of("two Host headers", "GET / HTTP/1.1\r\nHost: a.example.org\r\nHost: b.example.org\r\n\r\n"),
        Arguments.of("empty header name", "GET / HTTP/1.1\r\nHost: example.org\r\n: x\r\n\r\n"),
        Arguments.of("double space in request-line", "GET  / HTTP/1.1\r\nHost: example.org\r\n\r\n"),
        Arguments.of("lower-case version", "GET / http/1.1\r\nHost: example.org\r\n\r\n"),
        Arguments.of("raw non-ASCII in target", "GET /caf\u00e9 HTTP/1.1\r\nHost: example.org\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ambiguous")
  void ambiguousFramingIs400AndNeverReachesTheService(String name, String request) throws Exception {
    int before = backend.started.get();
    String response = RawHttp.exchange(t.port(), request, 3000);
    assertEquals(400, RawHttp.statusOf(response), response);
    assertEquals(1, RawHttp.responseCount(response), response);
    assertTrue(response.endsWith("}"), "the gateway closed after its answer: " + response);
    assertEquals("close", RawHttp.headerOf(response, "Connection"));
    assertEquals("application/problem+json", RawHttp.headerOf(response, "Content-Type"));
    JsonObject problem = new JsonObject(RawHttp.bodyOf(response));
    assertEquals(400, problem.getInteger("status"));
    assertEquals("bad_request", problem.getString("code"));
    assertEquals(RawHttp.headerOf(response, "X-Request-Id"), problem.getString("requestId"));
    assertNothingReachedTheBackend(before);
  }

  @Test
  void unsupportedVersionIs505() throws Exception {
    int before = backend.started.get();
    String response = RawHttp.exchange(t.port(), "GET / HTTP/2.0\r\nHost: example.org\r\n\r\n", 3000);
    assertEquals(505, RawHttp.statusOf(response), response);
    assertNothingReachedTheBackend(before);
  }

  /** CL.TE smuggling: the body hides a second request; only one answer, and no request upstream. */
  @Test
  void smuggledRequestInsideAClTeBodyIsNeverSeen() throws Exception {
    String smuggled = "GET /admin HTTP/1.1\r\nHost: example.org\r\n\r\n";
    String body = "0\r\n\r\n" + smuggled;
    int before = backend.started.get();
    String response = RawHttp.exchange(t.port(), POST + "Content-Length: " + body.length()
        + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body, 3000);
    assertEquals(400, RawHttp.statusOf(response), response);
    assertEquals(1, RawHttp.responseCount(response), response);
    assertNothingReachedTheBackend(before);
    assertFalse(backend.uris().contains("/admin"));
  }

  /** TE.CL: a short Content-Length would make a CL-framing hop read the chunk as a new request. */
  @Test
  void smuggledRequestInsideATeClBodyIsNeverSeen() throws Exception {
    String smuggled = "GET /admin HTTP/1.1\r\nHost: example.org\r\n\r\n";
    String chunk = Integer.toHexString(smuggled.length()) + "\r\n" + smuggled + "\r\n0\r\n\r\n";
    int before = backend.started.get();
    String response = RawHttp.exchange(t.port(), POST + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
        + chunk, 3000);
    assertEquals(400, RawHttp.statusOf(response), response);
    assertEquals(1, RawHttp.responseCount(response), response);
    assertNothingReachedTheBackend(before);
  }

  /** A good request before a bad one on the same connection is answered; the bad one is not forwarded. */
  @Test
  void pipelinedGoodRequestIsServedThenTheBadOneIsRejected() throws Exception {
    int before = backend.started.get();
    String response = RawHttp.exchange(t.port(), "GET /first HTTP/1.1\r\nHost: example.org\r\n\r\n"
        + POST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /second HTTP/1.1\r\n\r\n", 3000);
    assertTrue(response.startsWith("HTTP/1.1 200 "), response);
    assertEquals(2, RawHttp.responseCount(response), response);
    int second = response.indexOf("HTTP/1.1 400 ");
    assertTrue(second > 0, response);
    Thread.sleep(100);
    assertEquals(before + 1, backend.started.get(), "only the first request reached the backend");
    assertTrue(backend.uris().contains("/first"));
    assertFalse(backend.uris().contains("/second"));
  }

  /**
   * A malformed chunk after the head was forwarded: the bytes after it (here a smuggled request)
   * never reach the service, and the service never sees a complete body.
   */
  @Test
  void malformedChunkMidBodyNeverCompletesUpstreamNorSmuggles() throws Exception {
    int completedBefore = backend.completed.get();
    try (RawHttp c = new RawHttp(t.port())) {
      c.send(POST + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
      Thread.sleep(100);
      c.send("zz\r\nGET /smuggled HTTP/1.1\r\nHost: example.org\r\n\r\n");
      String response = c.readUntilClose(5000); // today: 504 after the route's response timeout (2 s)
      assertTrue(RawHttp.responseCount(response) <= 1, response);
      assertTrue(RawHttp.statusOf(response) != 200, response);
      assertFalse(response.endsWith("<<timeout>>"), "the connection was closed: " + response);
    }
    Thread.sleep(100);
    assertEquals(completedBefore, backend.completed.get(), "no complete request reached the backend");
    assertFalse(backend.uris().contains("/smuggled"));
  }

  /** The client should get a prompt 400, not wait for the upstream response timeout. */
  @Test
  void malformedChunkMidBodyIsAPrompt400() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send(POST + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
      Thread.sleep(100);
      long start = System.nanoTime();
      c.send("zz\r\n");
      String response = c.readUntilClose(5000);
      assertTrue((System.nanoTime() - start) / 1_000_000 < 1000, "answered within 1 s: " + response);
      assertEquals(400, RawHttp.statusOf(response), response);
    }
  }

  /** The checks are not fooled by how the bytes are split over TCP segments. */
  @Test
  void byteByByteAmbiguousRequestIsStillRejected() throws Exception {
    int before = backend.started.get();
    String request = POST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    try (RawHttp c = new RawHttp(t.port())) {
      c.socket.setTcpNoDelay(true);
      for (int i = 0; i < request.length(); i++) {
        try {
          c.send(request.substring(i, i + 1));
        } catch (java.io.IOException closed) {
          break; // the gateway answered and closed as soon as it saw the conflict
        }
      }
      String response = c.readUntilClose(3000);
      assertEquals(400, RawHttp.statusOf(response), response);
    }
    assertNothingReachedTheBackend(before);
  }

  /** The same gateway serves well-formed framing: the rejections above are not blanket refusals. */
  @Test
  void wellFormedFramingIsServed() throws Exception {
    int before = backend.completed.get();
    String chunked = RawHttp.exchange(t.port(), POST + "Transfer-Encoding: Chunked\r\nConnection: close\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\n", 3000);
    assertEquals(200, RawHttp.statusOf(chunked), chunked);
    String plainCl = RawHttp.exchange(t.port(), POST + "Content-Length: 5\r\nConnection: close\r\n\r\nhello", 3000);
    assertEquals(200, RawHttp.statusOf(plainCl), plainCl);
    String owsTe = RawHttp.exchange(t.port(), POST + "Transfer-Encoding: \tchunked \r\nConnection: close\r\n\r\n"
        + "0\r\n\r\n", 3000);
    assertEquals(200, RawHttp.statusOf(owsTe), owsTe);
    assertEquals(before + 3, backend.completed.get());
  }

  private static void assertNothingReachedTheBackend(int before) throws InterruptedException {
    Thread.sleep(50); // a forwarded request would have reached the loopback backend by now
    assertEquals(before, backend.started.get(), "a rejected request reached the backend");
  }
}
