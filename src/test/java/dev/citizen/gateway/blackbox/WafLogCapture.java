package dev.citizen.gateway.blackbox;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** Records the WAF's log lines (logger {@code dev.citizen.gateway.waf}) with their key-values. */
final class WafLogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  /** One WAF line: its level and key-values (requestId, ruleIds, action, ...). */
  record Line(String level, Map<String, Object> fields) {
    String field(String key) {
      Object v = fields.get(key);
      return v == null ? null : v.toString();
    }

    /** The matched rule ids, as logged ({@code 942100, 949110}). */
    List<String> ruleIds() {
      String ids = field("ruleIds");
      return ids == null || ids.isEmpty() ? List.of() : List.of(ids.split(",\\s*"));
    }
  }

  final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.citizen.gateway.waf");

  private final boolean wasAdditive = logger.isAdditive();

  WafLogCapture() {
    this(false);
  }

  /** @param quiet keep the lines from the console while capturing (thousands of them in the CRS suite) */
  WafLogCapture(boolean quiet) {
    start();
    logger.addAppender(this);
    if (quiet) {
      logger.setAdditive(false);
    }
  }

  @Override
  protected void append(ILoggingEvent e) {
    Map<String, Object> fields = new HashMap<>();
    List<KeyValuePair> kvs = e.getKeyValuePairs();
    if (kvs != null) {
      kvs.forEach(kv -> fields.put(kv.key, kv.value));
    }
    lines.add(new Line(e.getLevel().toString(), fields));
  }

  /** The lines logged for request {@code requestId}. */
  List<Line> forRequest(String requestId) {
    return lines.stream().filter(l -> requestId.equals(l.field("requestId"))).toList();
  }

  @Override
  public void close() {
    logger.setAdditive(wasAdditive);
    logger.detachAppender(this);
    stop();
  }
}
