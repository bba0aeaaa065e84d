package dev.citizen.gateway.blackbox;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Records what the gateway logs through the given loggers while open, each line with the
 * {@link System#nanoTime} of the moment it was logged: the appender runs on the thread that logs,
 * right after the change it reports, so the time can be compared with the clients' own.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  /** One logged line. */
  record Line(long nanos, Level level, String logger, String message) {}

  final Queue<Line> lines = new ConcurrentLinkedQueue<>();
  private final List<Logger> loggers;

  private LogCapture(List<Logger> loggers) {
    this.loggers = loggers;
    start();
    loggers.forEach(l -> l.addAppender(this));
  }

  /** Captures the loggers with these names (a class's logger is named after the class). */
  static LogCapture of(String... loggerNames) {
    return new LogCapture(java.util.Arrays.stream(loggerNames).map(n -> (Logger) LoggerFactory.getLogger(n)).toList());
  }

  @Override
  protected void append(ILoggingEvent e) {
    lines.add(new Line(System.nanoTime(), e.getLevel(), e.getLoggerName(), e.getFormattedMessage()));
  }

  /** The lines so far that match. */
  List<Line> matching(Predicate<Line> p) {
    return lines.stream().filter(p).toList();
  }

  /** The first line that matches, waiting up to {@code timeoutMillis}; null if none came. */
  Line await(long timeoutMillis, Predicate<Line> p) throws InterruptedException {
    TestGateway.eventually(timeoutMillis, () -> !matching(p).isEmpty());
    List<Line> m = matching(p);
    return m.isEmpty() ? null : m.get(0);
  }

  /** Waits until {@code count} lines match; the last of them, or null when they did not come. */
  Line awaitCount(long timeoutMillis, int count, Predicate<Line> p) throws InterruptedException {
    TestGateway.eventually(timeoutMillis, () -> matching(p).size() >= count);
    List<Line> m = matching(p);
    return m.size() >= count ? m.get(count - 1) : null;
  }

  @Override
  public void close() {
    loggers.forEach(l -> l.detachAppender(this));
    stop();
  }
}
