package dev.citizen.gateway.accesslog;

import dev.citizen.gateway.config.AccessLogConfig;
import dev.citizen.gateway.observe.RequestObserver;
import dev.citizen.gateway.observe.Rejection;
import dev.citizen.gateway.observe.RequestRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log as a request observer: when a request ends, its line is formatted on the event
 * loop ({@link AccessLine}) and handed, as a finished String, to the writer thread
 * ({@link AccessLogWriter}), which logs it to the logger {@value #LOGGER}.
 *
 * <p>Lifecycle: built at start from {@code observability.accessLog}; {@link #close} writes what
 * is queued and stops the writer thread.
 */
public final class AccessLog implements RequestObserver {
  /** The logger the lines go to; logback.xml sends it to stdout as is (the lines are JSON already). */
  public static final String LOGGER = "access";
  /** How long {@link #close} waits for the queued lines to be written. */
  static final long CLOSE_WAIT_MILLIS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

  private final Vertx vertx;
  private final Logger sink = LoggerFactory.getLogger(LOGGER);
  private final AccessLine line;
  private final AccessLogWriter writer;

  /** Starts the writer thread. The config must be valid ({@code ConfigValidator}). */
  public AccessLog(Vertx vertx, AccessLogConfig config) {
    this.vertx = vertx;
    this.line = new AccessLine(config, PhiMasker.of(config.maskPatterns()));
    this.writer = new AccessLogWriter(sink, config.queueSize());
  }

  @Override
  public void requestEnded(RequestRecord record) {
    if (sink.isInfoEnabled()) { // the level of "access" in logback.xml can switch it off
      writer.offer(line.format(record));
    }
  }

  @Override
  public void rejected(Rejection rejection) {
    if (sink.isInfoEnabled()) {
      writer.offer(line.format(rejection));
    }
  }

  /** Lines dropped because the log output could not keep up (also reported in a WARN). */
  public long dropped() {
    return writer.dropped();
  }

  /** Writes the queued lines and stops; waits at most {@link #CLOSE_WAIT_MILLIS} for a stalled output. */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    long timer = vertx.setTimer(CLOSE_WAIT_MILLIS, id -> {
      if (done.tryComplete()) {
        LOG.warn("access log: {} lines not written at close: the log output is stalled", writer.waiting());
      }
    });
    writer.close().whenComplete((v, e) -> {
      vertx.cancelTimer(timer);
      done.tryComplete();
    });
    return done.future();
  }
}
