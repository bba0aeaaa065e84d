package dev.citizen.gateway.tracing;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands what the OpenTelemetry SDK logs (through java.util.logging, which would print plain
 * multi-line text on stderr) to the gateway's own log, under the SDK's logger names: a collector
 * that refuses or cannot be reached is then reported like everything else the gateway logs, e.g.
 * {@code Failed to export spans. Server responded with HTTP status code 401}. The SDK throttles
 * these itself (a few a minute), so a collector that stays down does not flood the log.
 */
final class SdkLogBridge extends Handler {
  /** Held here: java.util.logging keeps loggers weakly, and a collected logger forgets its handlers. */
  private static final java.util.logging.Logger SDK = java.util.logging.Logger.getLogger("io.opentelemetry");
  private static final SimpleFormatter FORMAT = new SimpleFormatter();

  private SdkLogBridge() {}

  /** Idempotent: several gateways in one JVM (tests) share the one bridge. */
  static synchronized void install() {
    for (Handler h : SDK.getHandlers()) {
      if (h instanceof SdkLogBridge) {
        return;
      }
    }
    SDK.setUseParentHandlers(false);
    SDK.addHandler(new SdkLogBridge());
  }

  @Override
  public void publish(LogRecord record) {
    Logger log = LoggerFactory.getLogger(record.getLoggerName() == null ? SDK.getName() : record.getLoggerName());
    String message = FORMAT.formatMessage(record);
    int level = record.getLevel().intValue();
    if (level >= Level.SEVERE.intValue()) {
      log.error(message, record.getThrown());
    } else if (level >= Level.WARNING.intValue()) {
      log.warn(message, record.getThrown());
    } else if (level >= Level.INFO.intValue()) {
      log.info(message, record.getThrown());
    } else {
      log.debug(message, record.getThrown());
    }
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
  }
}
