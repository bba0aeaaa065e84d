package dev.citizen.gateway.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The hand-off from the event loops to the writer thread: order, close, and drops instead of waits. */
@Timeout(30)
class AccessLogWriterTest {
  private final Logger sink = (Logger) LoggerFactory.getLogger("test.access." + System.nanoTime());
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean stall;
  private final Queue<String> lines = new ConcurrentLinkedQueue<>();
  private final Queue<String> threads = new ConcurrentLinkedQueue<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent e) {
      threads.add(Thread.currentThread().getName());
      if (stall) {
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      }
      lines.add(e.getFormattedMessage());
    }
  };

  AccessLogWriterTest() {
    sink.setAdditive(false);
    appender.start();
    sink.addAppender(appender);
  }

  @AfterEach
  void detach() {
    release.countDown();
    sink.detachAppender(appender);
  }

  @Test
  void linesAreWrittenInOrderByTheWriterThreadAndCloseWritesTheRest() throws Exception {
    AccessLogWriter w = new AccessLogWriter(sink, 10_000);
    for (int i = 0; i < 5000; i++) {
      assertTrue(w.offer("line " + i + " {}")); // no formatting of what looks like a placeholder
    }
    w.close().get(10, TimeUnit.SECONDS);
    assertEquals(5000, lines.size());
    int i = 0;
    for (String l : lines) {
      assertEquals("line " + i++ + " {}", l);
    }
    assertTrue(threads.stream().allMatch("access-log-writer"::equals), threads.toString());
    assertNotEquals("access-log-writer", Thread.currentThread().getName());
    assertFalse(w.offer("late"), "closed: dropped");
    assertEquals(1, w.dropped());
  }

  @Test
  void aStalledSinkCostsLinesNotTime() throws Exception {
    stall = true;
    AccessLogWriter w = new AccessLogWriter(sink, 8);
    assertTrue(w.offer("first"));
    assertTrue(waitFor(() -> threads.size() == 1), "the writer took the first line and is stuck in the sink");
    long start = System.nanoTime();
    int accepted = 0;
    for (int i = 0; i < 100_000; i++) {
      if (w.offer("line " + i)) {
        accepted++;
      }
    }
    long micros = (System.nanoTime() - start) / 1000;
    assertTrue(micros < 2_000_000, "100k offers took " + micros + " µs with the sink stalled");
    assertEquals(8, accepted, "the queue's capacity");
    assertEquals(100_000 - 8, w.dropped());
    assertEquals(8, w.waiting());
    release.countDown();
    w.close().get(10, TimeUnit.SECONDS);
    assertEquals(List.of("first", "line 0", "line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "line 7"),
        List.copyOf(lines));
  }

  private static boolean waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!c.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return c.getAsBoolean();
  }
}
