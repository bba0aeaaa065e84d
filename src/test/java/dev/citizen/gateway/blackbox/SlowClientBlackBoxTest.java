package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Slow-loris defence: {@code server.timeouts.header} bounds how long a request head may take. */
@Timeout(30)
class SlowClientBlackBoxTest {
  @AutoClose
  private static TestGateway t;
  private static TestGateway.RecordingBackend backend;

  @BeforeAll
  static void start() throws Exception {
    t = TestGateway.create();
    backend = t.recordingBackend("b");
    t.startGateway("""
        server:
          host: 127.0.0.1
          port: 0
          timeouts: {header: 500ms, idle: 10s}
        admin: {host: 127.0.0.1, port: 0}
        services:
        %s
        routes:
          - {id: all, match: {path: /**}, service: b}
        """.formatted(TestGateway.service("b", backend.port)));
  }

  @Test
  void partialHeadIsAnswered408AndClosed() throws Exception {
    int before = backend.started.get();
    try (RawHttp c = new RawHttp(t.port())) {
      long start = System.nanoTime();
      c.send("GET /slow HTTP/1.1\r\nHost: h\r\nX-Partial: ");
      String response = c.readUntilClose(3000);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(!response.endsWith("<<timeout>>"), "closed: " + response);
      assertTrue(millis >= 400 && millis < 2000, "closed after " + millis + " ms");
      assertEquals(408, RawHttp.statusOf(response), response);
    }
    assertEquals(before, backend.started.get());
  }

  @Test
  void silentConnectionIsClosed() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      long start = System.nanoTime();
      String response = c.readUntilClose(3000);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(!response.endsWith("<<timeout>>") && millis < 2000, "closed after " + millis + " ms: " + response);
    }
  }

  /** Trickling one byte at a time does not extend the deadline: it is for the whole head. */
  @Test
  void tricklingHeadIsClosedAtTheDeadline() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      long start = System.nanoTime();
      String head = "GET /trickle HTTP/1.1\r\nHost: h\r\nX-Trickle: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
      boolean closed = false;
      for (int i = 0; i < head.length() && !closed; i++) {
        try {
          c.send(head.substring(i, i + 1));
        } catch (java.io.IOException e) {
          closed = true;
        }
        Thread.sleep(50);
        if (System.nanoTime() - start > 2_500_000_000L) {
          break;
        }
      }
      String response = c.readUntilClose(2000);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(closed || !response.endsWith("<<timeout>>"), "still open after " + millis + " ms");
      assertTrue(millis < 2500, "closed after " + millis + " ms");
    }
  }

  /** A keep-alive connection waiting for its next request is not cut by the header timeout while idle. */
  @Test
  void keepAliveConnectionServesASecondRequestAfterAPause() throws Exception {
    try (RawHttp c = new RawHttp(t.port())) {
      c.send("GET /one HTTP/1.1\r\nHost: h\r\n\r\n");
      assertEquals(200, RawHttp.statusOf(c.readResponse()));
      Thread.sleep(800); // longer than the header timeout, shorter than idle
      c.send("GET /two HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
      String second = c.readUntilClose(3000);
      assertEquals(200, RawHttp.statusOf(second), second);
    }
  }

  @Test
  void twoHundredSlowClientsDoNotStarveANormalRequest() throws Exception {
    List<RawHttp> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        RawHttp c = new RawHttp(t.port());
        slow.add(c);
        c.send("GET /slow/" + i + " HTTP/1.1\r\nHost: h\r\nX-Partial: ");
      }
      long start = System.nanoTime();
      String response = RawHttp.exchange(t.port(), "GET /normal HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
          2000);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(200, RawHttp.statusOf(response), response);
      assertTrue(millis < 2000, "normal request took " + millis + " ms");

      long deadline = System.nanoTime() + 2_500_000_000L;
      int closed = 0;
      for (RawHttp c : slow) {
        int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        if (c.closedWithin(left)) {
          closed++;
        }
      }
      assertEquals(200, closed, "every slow connection was closed within ~2 s");
    } finally {
      for (RawHttp c : slow) {
        c.close();
      }
    }
    assertTrue(backend.uris().stream().noneMatch(u -> u.startsWith("/slow/")));
  }
}
