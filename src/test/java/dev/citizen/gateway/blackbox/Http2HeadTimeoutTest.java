package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.tls.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow-loris over HTTP/2 (TLS, ALPN h2), with raw frames: a request head trickled inside one
 * HEADERS frame, or spread over CONTINUATION frames that never end the block, is cut off after
 * {@code server.timeouts.header} (1 s here) with a GOAWAY ENHANCE_YOUR_CALM, and counted in the
 * metrics, while other clients are served; a connection that is quiet, or sends only complete frames (PINGs), stays open past
 * that timeout and still gets its request answered.
 */
@Timeout(60)
class Http2HeadTimeoutTest {
  private static final int HEADERS = 0x1;
  private static final int SETTINGS = 0x4;
  private static final int PING = 0x6;
  private static final int GOAWAY = 0x7;
  private static final int CONTINUATION = 0x9;
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final long ENHANCE_YOUR_CALM = 0xb;

  @TempDir
  static Path dir;
  static TestCertificates pki;
  static TestGateway t;

  @BeforeAll
  static void start() throws Exception {
    pki = TestCertificates.create(dir);
    TestCertificates.Issued cert = pki.server("server");
    t = TestGateway.create();
    int backend = t.httpBackend(req -> req.response().end("ok " + req.path()));
    String yaml = TlsClients.gatewayConfig(backend, cert, "")
        .replace("server: {host: 127.0.0.1, port: 0,", "server: {host: 127.0.0.1, port: 0, timeouts: {header: 1s},");
    t.startGateway(yaml);
  }

  @AfterAll
  static void stop() throws Exception {
    if (t != null) {
      t.close();
    }
  }

  @Test
  void aHeadTrickledInsideOneFrameIsCutOff() throws Exception {
    try (SSLSocket s = h2Connection()) {
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      block.writeBytes(getHeaderBlock("/slow"));
      block.write(0x00); // literal without indexing, new name: x-pad, and a long value, so that the
      block.write(5); // frame takes 20 s at this pace
      block.writeBytes("x-pad".getBytes(StandardCharsets.US_ASCII));
      block.write(100);
      block.writeBytes("p".repeat(100).getBytes(StandardCharsets.US_ASCII));
      // The frame announces its whole block, but only its first bytes come, then one every 200 ms.
      byte[] frame = frame(HEADERS, END_HEADERS | END_STREAM, 1, block.toByteArray());
      OutputStream out = s.getOutputStream();
      out.write(frame, 0, 12);
      out.flush();
      long started = System.nanoTime();
      int[] next = {12};
      Thread trickle = trickle(out, () -> new byte[] {frame[next[0]++]});
      assertEquals(200, otherClientStatus(), "a client beside the slow one is served");
      assertSentAway(s, started, trickle);
    }
  }

  @Test
  void aHeaderBlockThatNeverEndsIsCutOff() throws Exception {
    try (SSLSocket s = h2Connection()) {
      byte[] block = getHeaderBlock("/slow");
      OutputStream out = s.getOutputStream();
      // Every frame is complete, but the block is never: no END_HEADERS, CONTINUATION after
      // CONTINUATION (each a byte of a literal header value the block will never finish).
      byte[] first = new byte[block.length + 2];
      System.arraycopy(block, 0, first, 0, block.length);
      first[block.length] = 0x00; // literal header field without indexing, new name
      first[block.length + 1] = 0x7f; // name length: 127 and more, continued below
      out.write(frame(HEADERS, END_STREAM, 1, first));
      out.flush();
      long started = System.nanoTime();
      Thread trickle = trickle(out, () -> frame(CONTINUATION, 0, 1, new byte[] {0x01}));
      assertSentAway(s, started, trickle);
    }
  }

  @Test
  void quietAndPingingConnectionsOutliveTheHeadTimeout() throws Exception {
    try (SSLSocket s = h2Connection()) {
      OutputStream out = s.getOutputStream();
      Thread.sleep(1_500); // quiet: nothing pending
      for (int i = 0; i < 5; i++) { // complete frames only
        out.write(frame(PING, 0, 0, new byte[8]));
        out.flush();
        Thread.sleep(300);
      }
      out.write(frame(HEADERS, END_HEADERS | END_STREAM, 1, getHeaderBlock("/after-a-while")));
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      while (true) {
        Frame f = readFrame(in);
        assertTrue(f.type != GOAWAY, "the connection was sent away");
        if (f.type == HEADERS && f.streamId == 1) {
          return; // the response head: the request was served on this connection
        }
      }
    }
  }

  // ---------------------------------------------------------------- raw HTTP/2

  private static SSLSocket h2Connection() throws Exception {
    SSLSocket s = TlsClients.handshake(pki.clientContext(null), t.port(), null, null, "h2");
    assertEquals("h2", s.getApplicationProtocol());
    OutputStream out = s.getOutputStream();
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.write(frame(SETTINGS, 0, 0, new byte[0]));
    out.flush();
    return s;
  }

  /** GET {@code path} over https at 127.0.0.1, HPACK without Huffman or dynamic table. */
  private static byte[] getHeaderBlock(String path) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0x82); // :method GET (static index 2)
    b.write(0x87); // :scheme https (7)
    literal(b, 0x04, path); // :path, name at static index 4
    literal(b, 0x01, "127.0.0.1"); // :authority (1)
    return b.toByteArray();
  }

  private static void literal(ByteArrayOutputStream b, int nameIndex, String value) {
    byte[] v = value.getBytes(StandardCharsets.US_ASCII);
    b.write(nameIndex); // literal without indexing, indexed name (index < 15)
    b.write(v.length); // < 127, no Huffman
    b.write(v, 0, v.length);
  }

  private static byte[] frame(int type, int flags, int streamId, byte[] payload) {
    byte[] f = new byte[9 + payload.length];
    f[0] = (byte) (payload.length >>> 16);
    f[1] = (byte) (payload.length >>> 8);
    f[2] = (byte) payload.length;
    f[3] = (byte) type;
    f[4] = (byte) flags;
    f[5] = (byte) (streamId >>> 24);
    f[6] = (byte) (streamId >>> 16);
    f[7] = (byte) (streamId >>> 8);
    f[8] = (byte) streamId;
    System.arraycopy(payload, 0, f, 9, payload.length);
    return f;
  }

  private record Frame(int type, int flags, int streamId, byte[] payload) {}

  private static Frame readFrame(DataInputStream in) throws IOException {
    int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    int streamId = in.readInt() & 0x7fffffff;
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(type, flags, streamId, payload);
  }

  /**
   * Reads frames until the gateway closes the connection, then checks that it sent a GOAWAY
   * ENHANCE_YOUR_CALM first, and closed about the head timeout after {@code startedNanos}.
   */
  private static void assertSentAway(SSLSocket s, long startedNanos, Thread trickle) throws Exception {
    DataInputStream in = new DataInputStream(s.getInputStream());
    long code = -1;
    try {
      while (true) {
        Frame f = readFrame(in);
        if (f.type == GOAWAY) {
          code = (f.payload[4] & 0xffL) << 24 | (f.payload[5] & 0xff) << 16 | (f.payload[6] & 0xff) << 8
              | (f.payload[7] & 0xff);
        }
      }
    } catch (EOFException | javax.net.ssl.SSLException | java.net.SocketException e) {
      // closed
    }
    long waitedMillis = (System.nanoTime() - startedNanos) / 1_000_000;
    trickle.interrupt();
    assertEquals(ENHANCE_YOUR_CALM, code, "GOAWAY error code");
    assertTrue(waitedMillis >= 900 && waitedMillis < 5_000, "closed after " + waitedMillis + " ms");
    Double cuts = PrometheusText.parse(AdminApi.get(t.adminPort(), "/metrics").body())
        .value("gateway_connections_cut_total", "reason", "http2_frame_timeout");
    assertTrue(cuts != null && cuts >= 1, "gateway_connections_cut_total: " + cuts);
  }

  /** Writes {@code next} every 200 ms until interrupted or the connection is gone. */
  private static Thread trickle(OutputStream out, java.util.function.Supplier<byte[]> next) {
    Thread th = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(200);
          out.write(next.get());
          out.flush();
        }
      } catch (InterruptedException | IOException e) {
        // stopped, or the gateway closed the connection: done either way
      }
    }, "h2-trickle");
    th.setDaemon(true);
    th.start();
    return th;
  }

  private static int otherClientStatus() throws Exception {
    HttpClient c = HttpClient.newBuilder().sslContext(pki.clientContext(null)).version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + t.port() + "/fast"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, r.version());
    return r.statusCode();
  }
}
