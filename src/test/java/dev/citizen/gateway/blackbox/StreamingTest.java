package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpServerRequest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 64 MiB bodies through the gateway in both directions, with the receiving side stalling for a
 * moment so backpressure, not buffering, has to carry the stream. Bodies are compared by size and
 * CRC32.
 */
@Timeout(120)
class StreamingTest {
  private static final long SIZE = 64L * 1024 * 1024;
  /** A receiver stops reading for this long once, after {@link #STALL_AT} bytes. */
  private static final long STALL_MILLIS = 300;
  private static final long STALL_AT = 8L * 1024 * 1024;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static String config(int backendPort) {
    return TestGateway.simpleConfig(backendPort, "5s", "60s", "128MiB");
  }

  /**
   * Backend that checksums the request body, pausing once mid-body, and answers
   * {@code "<bytes> <crc32> <transfer-encoding> <content-length>"}.
   */
  private static void checksumBody(TestGateway t, HttpServerRequest req) {
    CRC32 crc = new CRC32();
    AtomicLong count = new AtomicLong();
    boolean[] stalled = {false};
    req.handler(buf -> {
      crc.update(buf.getBytes());
      if (count.addAndGet(buf.length()) >= STALL_AT && !stalled[0]) {
        stalled[0] = true;
        req.pause();
        t.backendVertx.setTimer(STALL_MILLIS, id -> req.resume());
      }
    });
    req.endHandler(v -> req.response().end(count.get() + " " + crc.getValue() + " "
        + req.getHeader("Transfer-Encoding") + " " + req.getHeader("Content-Length")));
  }

  @Test
  void chunkedUploadArrivesIntact() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> checksumBody(t, req));
      t.startGateway(config(backend));
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(t.url("/upload")))
              .POST(HttpRequest.BodyPublishers.ofInputStream(() -> StreamPattern.stream(SIZE)))
              .timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(SIZE + " " + StreamPattern.crc(SIZE) + " chunked null", r.body());
    }
  }

  @Test
  void contentLengthUploadArrivesIntact() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> checksumBody(t, req));
      t.startGateway(config(backend));
      HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
          HttpRequest.BodyPublishers.ofInputStream(() -> StreamPattern.stream(SIZE)), SIZE);
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(t.url("/upload")))
              .POST(body).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(SIZE + " " + StreamPattern.crc(SIZE) + " null " + SIZE, r.body());
    }
  }

  @Test
  void chunkedUploadOverTheLimitIs413() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      CompletableFuture<String> backendSaw = new CompletableFuture<>();
      int backend = t.httpBackend(req -> {
        AtomicLong n = new AtomicLong();
        req.handler(b -> n.addAndGet(b.length()));
        req.exceptionHandler(e -> backendSaw.complete("reset after " + n.get()));
        req.endHandler(v -> {
          backendSaw.complete("complete " + n.get());
          req.response().end("complete");
        });
      });
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "60s", "1MiB"));
      try (RawHttp c = new RawHttp(t.port())) {
        c.send("POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
        byte[] chunk = StreamPattern.chunk(0);
        String size = Integer.toHexString(chunk.length) + "\r\n";
        boolean writeFailed = false;
        // 2 MiB, twice the limit; the gateway may stop reading and close while this is sent.
        for (int i = 0; i < 32 && !writeFailed; i++) {
          try {
            c.send(size);
            c.send(chunk);
            c.send("\r\n");
          } catch (java.io.IOException e) {
            writeFailed = true;
          }
        }
        String r = c.readUntilClose(5000);
        assertEquals(413, RawHttp.statusOf(r), r);
        assertTrue(!r.endsWith("<<timeout>>"), r);
      }
      String seen = backendSaw.get(5, TimeUnit.SECONDS);
      assertTrue(seen.startsWith("reset"), "the service must not see a complete body: " + seen);
    }
  }

  @Test
  void contentLengthDownloadArrivesIntact() throws Exception {
    download(true);
  }

  @Test
  void chunkedDownloadArrivesIntact() throws Exception {
    download(false);
  }

  private void download(boolean withLength) throws Exception {
    try (TestGateway t = TestGateway.create()) {
      CompletableFuture<Long> sentCrc = new CompletableFuture<>();
      int backend = t.httpBackend(req -> {
        if (withLength) {
          req.response().putHeader("Content-Length", Long.toString(SIZE));
        } else {
          req.response().setChunked(true);
        }
        StreamPattern.write(req.response(), SIZE).whenComplete((crc, e) -> {
          if (e != null) {
            sentCrc.completeExceptionally(e);
          } else {
            sentCrc.complete(crc);
          }
        });
      });
      t.startGateway(config(backend));
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(t.url("/download")))
          .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, r.statusCode());
      if (withLength) {
        assertEquals(Long.toString(SIZE), r.headers().firstValue("Content-Length").orElse(null));
      } else {
        assertEquals("chunked", r.headers().firstValue("Transfer-Encoding").orElse(null));
      }
      CRC32 crc = new CRC32();
      long total = 0;
      boolean stalled = false;
      try (InputStream in = r.body()) {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
          crc.update(buf, 0, n);
          total += n;
          if (!stalled && total >= STALL_AT) {
            stalled = true;
            Thread.sleep(STALL_MILLIS); // a slow reader on purpose: backpressure must hold the stream
          }
        }
      }
      assertEquals(SIZE, total);
      assertEquals(sentCrc.get(10, TimeUnit.SECONDS), crc.getValue());
      assertEquals(StreamPattern.crc(SIZE), crc.getValue());
    }
  }

  @Test
  void clientLeavingMidDownloadReleasesTheUpstream() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      CompletableFuture<String> upstreamEnd = new CompletableFuture<>();
      int backend = t.httpBackend(req -> {
        req.connection().closeHandler(v -> upstreamEnd.complete("closed"));
        req.response().putHeader("Content-Length", Long.toString(SIZE));
        StreamPattern.write(req.response(), SIZE).whenComplete((crc, e) ->
            upstreamEnd.complete(e == null ? "completed" : "failed"));
      });
      t.startGateway(config(backend));
      try (RawHttp c = new RawHttp(t.port())) {
        c.send("GET /download HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(200, RawHttp.statusOf(c.readHead()));
        c.socket.getInputStream().readNBytes(1024 * 1024);
      }
      // With backpressure the service can only have sent a little more than the client read, so
      // it cannot have completed; the gateway must cut it off instead of leaving it hanging.
      String end = upstreamEnd.get(5, TimeUnit.SECONDS);
      assertTrue(end.equals("closed") || end.equals("failed"), end);
    }
  }

  @Test
  void clientLeavingMidUploadReleasesTheUpstream() throws Exception {
    for (boolean chunked : new boolean[] {true, false}) {
      try (TestGateway t = TestGateway.create()) {
        CompletableFuture<String> upstreamEnd = new CompletableFuture<>();
        AtomicLong received = new AtomicLong();
        int backend = t.httpBackend(req -> {
          req.handler(b -> received.addAndGet(b.length()));
          req.exceptionHandler(e -> upstreamEnd.complete("reset"));
          req.endHandler(v -> {
            upstreamEnd.complete("complete");
            req.response().end();
          });
        });
        t.startGateway(config(backend));
        try (RawHttp c = new RawHttp(t.port())) {
          c.send("POST /upload HTTP/1.1\r\nHost: h\r\n"
              + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + SIZE + "\r\n") + "\r\n");
          for (int i = 0; i < 16; i++) {
            byte[] chunk = StreamPattern.chunk(i);
            if (chunked) {
              c.send(Integer.toHexString(chunk.length) + "\r\n");
            }
            c.send(chunk);
            if (chunked) {
              c.send("\r\n");
            }
          }
          assertTrue(TestGateway.eventually(5000, () -> received.get() > 0), "the upload never started");
        }
        String end = upstreamEnd.get(5, TimeUnit.SECONDS);
        assertEquals("reset", end, (chunked ? "chunked" : "content-length") + " upload, the service saw: " + end);
      }
    }
  }
}
