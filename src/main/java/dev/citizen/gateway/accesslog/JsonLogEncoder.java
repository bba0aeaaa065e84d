package dev.citizen.gateway.accesslog;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * The Logback encoder of every log line but the access log: one JSON object per event, one line
 * each, e.g.
 *
 * <pre>
 * {"timestamp":"2025-03-01T09:30:00.123Z","level":"WARN","logger":"dev.citizen.gateway.upstream.OutlierDetector",
 *  "thread":"vert.x-eventloop-thread-1","message":"service patients: endpoint … ejected …","traceId":"…"}
 * </pre>
 *
 * <p>Then come the event's key-values (SLF4J 2 {@code addKeyValue}; numbers and booleans as JSON
 * numbers and booleans, anything else as a string), the MDC entries, and an exception as one string
 * field {@code exception} (the whole stack trace, its line breaks escaped, so it stays on the
 * event's line). A key that would repeat a standard field is written with a {@code kv_} prefix.
 *
 * <p>Message, string values and exception go through {@link PhiMasker#DEFAULT} (set
 * {@code <maskPhi>false</maskPhi>} to turn that off): a request's data has no business in a
 * gateway log line, and if some library's exception message carries it, it is masked.
 *
 * <p>Why not Logback's own {@code JsonEncoder}: it writes the time as epoch milliseconds, the
 * key-values as a list of one-entry objects and an exception as nested objects, which log
 * pipelines cannot filter on as plain fields. logstash-logback-encoder can be shaped into this
 * format, but would add Jackson databind to the gateway for five fields; this encoder reuses the
 * access log's {@link JsonLine}.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
  private static final Set<String> STANDARD = Set.of("timestamp", "level", "logger", "thread", "message",
      "exception");
  private boolean maskPhi = true;

  /** Whether message, values and exception are masked (default true). */
  public void setMaskPhi(boolean maskPhi) {
    this.maskPhi = maskPhi;
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder sb = new StringBuilder(256);
    JsonLine json = new JsonLine(sb)
        .timestamp("timestamp", event.getTimeStamp())
        .field("level", event.getLevel().toString())
        .field("logger", event.getLoggerName())
        .field("thread", event.getThreadName())
        .field("message", mask(event.getFormattedMessage()));
    List<KeyValuePair> kvs = event.getKeyValuePairs();
    if (kvs != null) {
      for (KeyValuePair kv : kvs) {
        value(json, key(kv.key), kv.value);
      }
    }
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      for (Map.Entry<String, String> e : mdc.entrySet()) {
        json.field(key(e.getKey()), mask(e.getValue()));
      }
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      json.field("exception", mask(ThrowableProxyUtil.asString(thrown)));
    }
    json.end().append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void value(JsonLine json, String key, Object value) {
    if (value instanceof Boolean b) {
      json.field(key, b.booleanValue());
    } else if (value instanceof Number n && JsonLine.isJsonNumber(n)) {
      json.number(key, n);
    } else {
      json.field(key, value == null ? null : mask(String.valueOf(value)));
    }
  }

  private static String key(String key) {
    String k = key == null ? "null" : key;
    return STANDARD.contains(k) ? "kv_" + k : k;
  }

  private String mask(String s) {
    return maskPhi ? PhiMasker.DEFAULT.mask(s) : s;
  }
}
