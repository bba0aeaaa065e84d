package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proxy's own upstream connections (proxy.UpstreamPool / UpstreamConnection) against a
 * service on a raw socket, which says exactly the bytes a case needs: a service closing kept-alive
 * connections on its own, one that sends interim (1xx) responses first, one that says
 * {@code Connection: close}. Retries are off, so a request sent on a dead connection shows as a 502
 * instead of being hidden by a second attempt.
 */
@Timeout(60)
class UpstreamConnectionsTest {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private TestGateway t;
  private ServerSocket service;
  private final AtomicInteger connections = new AtomicInteger();
  /** The last request head the service read. */
  private static volatile String lastHead;
  private InetAddress serviceAddress = InetAddress.getLoopbackAddress();
  private String serviceHost = "127.0.0.1";

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (t != null) {
      t.close();
    }
  }

  /**
   * Starts a service that answers the n-th request on a connection with {@code answer.apply(n)},
   * and a gateway in front of it without retries.
   */
  private void start(IntFunction<String> answer) throws Exception {
    start(answer, false);
  }

  /** As {@link #start(IntFunction)}; with {@code closeAfterEach} the service closes every connection after one answer, unannounced. */
  private void start(IntFunction<String> answer, boolean closeAfterEach) throws Exception {
    service = new ServerSocket(0, 50, serviceAddress);
    Thread acceptor = new Thread(() -> {
      while (!service.isClosed()) {
        try {
          Socket s = service.accept();
          connections.incrementAndGet();
          Thread conn = new Thread(() -> serve(s, answer, closeAfterEach));
          conn.setDaemon(true);
          conn.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    t = TestGateway.create();
    t.startGateway(TestGateway.simpleConfig(service.getLocalPort()).replace("service: backend",
        "service: backend\n    retries: {attempts: 1}").replace("http://127.0.0.1:", "http://" + serviceHost + ":"));
  }

  private static void serve(Socket s, IntFunction<String> answer, boolean closeAfterEach) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      for (int n = 1; readHead(in); n++) {
        String a = answer.apply(n);
        out.write(a.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (closeAfterEach || a.contains("Connection: close")) {
          return;
        }
      }
    } catch (IOException e) {
      // the gateway closed the connection
    }
  }

  /** Reads a request head (the tests send no bodies); false at the end of the stream. */
  private static boolean readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        lastHead = head.toString(StandardCharsets.ISO_8859_1);
        return true;
      }
    }
    return false;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(t.url(path))).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The service answers one request per connection and then closes it, without saying so: the
   * gateway must see the close while the connection is idle and not send the next request on it.
   */
  @Test
  void aConnectionTheServiceClosedWhileIdleIsNotUsedAgain() throws Exception {
    start(n -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true);
    for (int i = 0; i < 6; i++) {
      // The service's close arrives while the gateway's connection is idle; give the gateway a
      // moment to read it (a request racing a close is what retries are for, not this test).
      HttpResponse<String> r = get("/x" + i);
      assertEquals(200, r.statusCode(), "request " + i + ": " + r.body());
      assertEquals("ok", r.body());
      Thread.sleep(150);
    }
    assertEquals(6, connections.get(), "one connection per request, as the service wants");
  }

  /** 100 Continue and 103 Early Hints are not the answer: the gateway waits for the final one. */
  @Test
  void interimResponsesArePassedOverAndTheConnectionStaysInUse() throws Exception {
    start(n -> "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
        + "HTTP/1.1 100 Continue\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nX-N: " + n + "\r\n\r\nfinal-" + (n % 10));
    for (int i = 1; i <= 5; i++) {
      HttpResponse<String> r = get("/hints");
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("final-" + (i % 10), r.body(), "the final answer of the " + i + "th request on the connection");
    }
    assertEquals(1, connections.get(), "kept alive across the interim responses");
  }

  /** {@code Connection: close} from the service: that connection is not reused, the next request gets a new one. */
  @Test
  void connectionCloseFromTheServiceIsHonoured() throws Exception {
    start(n -> "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbye");
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = get("/c" + i);
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("bye", r.body());
      assertEquals(-1, r.headers().firstValue("connection").orElse("").indexOf("close"),
          "the service's Connection header is hop-by-hop: not passed to the client");
    }
    assertEquals(4, connections.get());
  }

  /** A response head the service never finishes (an endless header line) is a 502, not a hang or a crash. */
  @Test
  void aHeadOverTheLimitIsA502AndTheNextRequestIsServed() throws Exception {
    String huge = "X-Big: " + "a".repeat(70 * 1024) + "\r\n";
    AtomicInteger requests = new AtomicInteger();
    start(n -> requests.incrementAndGet() == 1 ? "HTTP/1.1 200 OK\r\n" + huge + "Content-Length: 2\r\n\r\nok"
        : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    assertEquals(502, get("/big").statusCode());
    HttpResponse<String> r = get("/small");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("ok", r.body());
  }

  /** An IPv6 endpoint: connected to without brackets, named with them in the Host header. */
  @Test
  void anIpv6EndpointGetsABracketedHostHeader() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
      // bound: the machine has IPv6 loopback
    } catch (IOException e) {
      Assumptions.assumeTrue(false, "no IPv6 loopback here: " + e);
    }
    serviceAddress = v6;
    serviceHost = "[::1]";
    start(n -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nv6");
    HttpResponse<String> r = get("/six");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("v6", r.body());
    assertTrue(lastHead.contains("\r\nhost: [::1]:" + service.getLocalPort() + "\r\n")
        || lastHead.contains("\r\nHost: [::1]:" + service.getLocalPort() + "\r\n"), lastHead);
  }

  /** A body without Content-Length or chunking ends where the service closes (RFC 9112 §6.3): all of it arrives. */
  @Test
  void aBodyEndedByTheServiceClosingArrivesWhole() throws Exception {
    String body = "x".repeat(100_000) + "end";
    start(n -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + body, true);
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = get("/close-delimited");
      assertEquals(200, r.statusCode());
      assertEquals(body, r.body());
    }
    assertEquals(3, connections.get());
  }
}
