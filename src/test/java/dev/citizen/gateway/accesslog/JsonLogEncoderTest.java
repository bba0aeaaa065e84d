package dev.citizen.gateway.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** Every other log line: one JSON object, one line, key-values as fields, the exception as one string. */
class JsonLogEncoderTest {
  private final LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
  private final Logger logger = context.getLogger("dev.citizen.gateway.server.RequestHandler");

  private JsonObject encode(LoggingEvent e, boolean mask) {
    JsonLogEncoder encoder = new JsonLogEncoder();
    encoder.setMaskPhi(mask);
    encoder.setContext(context);
    encoder.start();
    String text = new String(encoder.encode(e), StandardCharsets.UTF_8);
    assertTrue(text.endsWith("}\n"), text);
    assertEquals(1, text.split("\n", -1).length - 1, "exactly one line: " + text);
    return new JsonObject(text);
  }

  @Test
  void standardFieldsAndKeyValues() {
    LoggingEvent e = new LoggingEvent(Logger.FQCN, logger, Level.WARN, "request {} \"failed\"\n twice",
        null, new Object[] {"r-1"});
    e.setTimeStamp(Instant.parse("2025-03-01T09:30:00.123Z").toEpochMilli());
    e.setThreadName("vert.x-eventloop-thread-1");
    e.addKeyValuePair(new KeyValuePair("traceId", "4bf92f3577b34da6a3ce929d0e0e4736"));
    e.addKeyValuePair(new KeyValuePair("attempts", 3));
    e.addKeyValuePair(new KeyValuePair("ratio", 0.25));
    e.addKeyValuePair(new KeyValuePair("nan", Double.NaN));
    e.addKeyValuePair(new KeyValuePair("open", true));
    e.addKeyValuePair(new KeyValuePair("level", "mine"));
    JsonObject o = encode(e, true);
    assertEquals("2025-03-01T09:30:00.123Z", o.getString("timestamp"));
    assertEquals("WARN", o.getString("level"));
    assertEquals("dev.citizen.gateway.server.RequestHandler", o.getString("logger"));
    assertEquals("vert.x-eventloop-thread-1", o.getString("thread"));
    assertEquals("request r-1 \"failed\"\n twice", o.getString("message"));
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", o.getString("traceId"));
    assertEquals(3, o.getInteger("attempts"));
    assertEquals(0.25, o.getDouble("ratio"));
    assertEquals("NaN", o.getString("nan"));
    assertEquals(true, o.getBoolean("open"));
    assertEquals("mine", o.getString("kv_level"), "a key-value cannot overwrite a standard field");
    assertFalse(o.containsKey("exception"));
  }

  @Test
  void anExceptionIsOneStringField() {
    Exception cause = new IllegalStateException("inner");
    LoggingEvent e = new LoggingEvent(Logger.FQCN, logger, Level.ERROR, "boom", new RuntimeException("outer", cause),
        null);
    JsonObject o = encode(e, true);
    String exception = o.getString("exception");
    assertTrue(exception.startsWith("java.lang.RuntimeException: outer"), exception);
    assertTrue(exception.contains("Caused by: java.lang.IllegalStateException: inner"), exception);
    assertTrue(exception.contains("\tat dev.citizen.gateway.accesslog.JsonLogEncoderTest"), exception);
  }

  @Test
  void personalDataInMessagesValuesAndExceptionsIsMasked() {
    LoggingEvent e = new LoggingEvent(Logger.FQCN, logger, Level.ERROR, "lookup of {} failed",
        new IllegalArgumentException("no patient jane.doe@example.org"), new Object[] {"555-123-4567"});
    e.addKeyValuePair(new KeyValuePair("who", "123-45-6789"));
    JsonObject o = encode(e, true);
    assertEquals("lookup of [phone] failed", o.getString("message"));
    assertEquals("[id]", o.getString("who"));
    assertTrue(o.getString("exception").startsWith("java.lang.IllegalArgumentException: no patient [email]"));
    JsonObject clear = encode(e, false);
    assertEquals("lookup of 555-123-4567 failed", clear.getString("message"), "maskPhi=false");
  }
}
