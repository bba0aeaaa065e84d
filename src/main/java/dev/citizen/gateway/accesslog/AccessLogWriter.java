package dev.citizen.gateway.accesslog;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands finished access-log lines from the event loops to one writer thread, which logs them to
 * the {@code access} logger. The event loops never wait: {@link #offer} is a few atomic
 * operations, and when {@code capacity} lines are already waiting (the log output is slower than
 * the traffic, or stalled) the line is dropped and counted; the writer reports the count in a
 * WARN at most every {@link #REPORT_INTERVAL_NANOS}.
 *
 * <p>Why not Logback's {@code AsyncAppender} with {@code neverBlock}: its queue is an
 * {@code ArrayBlockingQueue}, whose one lock every event loop and the worker would take twice per
 * line (capacity check and offer), it drops INFO lines silently once 80% full unless told
 * otherwise, and it does not count what it drops. Here a lock-free queue with a separate size
 * counter gives the same "never block" with a count. The {@code access} logger's own appenders
 * (in logback.xml) are synchronous and run on this thread only.
 */
final class AccessLogWriter {
  static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final Logger LOG = LoggerFactory.getLogger(AccessLogWriter.class);
  /**
   * While lines keep coming, the writer looks again after this long (a line waits at most that).
   * 10 ms rather than 1: each look is a timed park and a wake-up, and each burst ends in a write
   * system call, so at tens of thousands of lines a second a 1 ms cadence cost the writer more CPU
   * than the lines themselves; at 10 ms a burst is a few hundred lines, one or two buffer-sized
   * writes, and a queue of {@code queueSize} (8192 by default) still holds far more than that.
   */
  private static final long BUSY_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** Empty looks (about 100 ms) before the writer parks until an event loop wakes it. */
  private static final int BUSY_POLLS = 10;
  /** Upper bound on a park; wake-ups are signalled, this only limits the cost of a lost one. */
  private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final Logger sink;
  private final int capacity;
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
  /** Lines offered and not yet taken by the writer; at most {@code capacity}. */
  private final AtomicInteger waiting = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final Thread thread;
  private volatile boolean parked;
  private volatile boolean closing;
  // Writer thread only:
  private long reported;
  private long lastReportNanos;

  AccessLogWriter(Logger sink, int capacity) {
    this.sink = sink;
    this.capacity = capacity;
    this.lastReportNanos = System.nanoTime() - REPORT_INTERVAL_NANOS; // the first drops are told at once
    this.thread = new Thread(this::run, "access-log-writer");
    thread.setDaemon(true); // close() flushes; a JVM that exits without it must not wait for this thread
    thread.start();
  }

  /** Queues a line; false when it was dropped (queue full, or the writer closed). Never blocks. */
  boolean offer(String line) {
    if (closing || waiting.incrementAndGet() > capacity) {
      if (!closing) {
        waiting.decrementAndGet();
      }
      dropped.increment();
      return false;
    }
    queue.offer(line);
    // The writer sets parked before it looks at the queue a last time, so either it sees this
    // line or this sees parked (both sides go through volatile or CAS accesses).
    if (parked) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  /** Lines dropped so far: the queue was full, or the writer was closed already. */
  long dropped() {
    return dropped.sum();
  }

  /**
   * Writes what is queued, then stops the thread. Completes when it has stopped; a sink that
   * stays blocked keeps it from completing, so callers bound the wait.
   */
  CompletableFuture<Void> close() {
    closing = true;
    LockSupport.unpark(thread);
    return stopped;
  }

  /** Lines queued and not yet written. */
  int waiting() {
    return waiting.get();
  }

  private void run() {
    try {
      BufferedStdoutAppender direct = direct();
      int idleRounds = 0;
      while (true) {
        String line = queue.poll();
        if (line != null) {
          waiting.decrementAndGet();
          write(direct, line);
          idleRounds = 0;
          continue;
        }
        flushSink(); // nothing waiting: what was written in this burst goes out now
        reportDrops(System.nanoTime());
        if (closing) {
          break;
        }
        if (idleRounds < BUSY_POLLS) {
          // Under traffic, poll again shortly without telling the event loops to wake us: an
          // unpark per line is a system call on the event loop and a context switch here.
          idleRounds++;
          LockSupport.parkNanos(this, BUSY_POLL_NANOS);
        } else {
          parked = true;
          if (queue.isEmpty() && !closing) {
            LockSupport.parkNanos(this, PARK_NANOS);
          }
          parked = false;
        }
        direct = direct(); // once per burst: the logger's appenders may have changed
      }
    } finally {
      stopped.complete(null);
    }
  }

  /**
   * The access logger's appender when it is the default buffered stdout one and the only one (so
   * a line may skip the logging event), else null (lines go through the logger as configured).
   */
  private BufferedStdoutAppender direct() {
    if (!(sink instanceof ch.qos.logback.classic.Logger logger) || !logger.isInfoEnabled() || logger.isAdditive()) {
      return null;
    }
    BufferedStdoutAppender only = null;
    for (var it = logger.iteratorForAppenders(); it.hasNext(); ) {
      if (!(it.next() instanceof BufferedStdoutAppender a) || only != null) {
        return null;
      }
      only = a;
    }
    return only;
  }

  private void write(BufferedStdoutAppender direct, String line) {
    try {
      if (direct != null) {
        direct.writeLine(line);
      } else {
        sink.info(line);
      }
    } catch (java.io.IOException | RuntimeException e) {
      // An appender that throws loses this line, not the writer thread.
      LOG.warn("access log: a line could not be written: {}", e.toString());
    }
  }

  /**
   * Flushes the sink's buffering appenders ({@link BufferedStdoutAppender}): they write whole
   * bursts of lines in one system call and rely on this to send the last ones.
   */
  private void flushSink() {
    if (!(sink instanceof ch.qos.logback.classic.Logger logger)) {
      return;
    }
    for (var it = logger.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof java.io.Flushable f) {
        try {
          f.flush();
        } catch (java.io.IOException | RuntimeException e) {
          LOG.warn("access log: flushing the output failed: {}", e.toString());
        }
      }
    }
  }

  private void reportDrops(long now) {
    long total = dropped.sum();
    if (total == reported || (!closing && now - lastReportNanos < REPORT_INTERVAL_NANOS)) {
      return;
    }
    LOG.atWarn().addKeyValue("dropped", total - reported).addKeyValue("droppedTotal", total)
        .log("access log: {} lines dropped (the queue of {} lines was full: the log output is slower than the "
            + "traffic)", total - reported, capacity);
    reported = total;
    lastReportNanos = now;
  }
}
