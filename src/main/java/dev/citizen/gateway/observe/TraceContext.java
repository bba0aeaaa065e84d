package dev.citizen.gateway.observe;

import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): parses an incoming {@code traceparent}
 * and makes ids. Always on, with or without an exporter, so that every request has a trace id for
 * its log lines and the services behind the gateway join the same trace.
 */
public final class TraceContext {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final String INVALID_TRACE = "00000000000000000000000000000000";
  private static final String INVALID_SPAN = "0000000000000000";

  private TraceContext() {}

  /**
   * The parent from a {@code traceparent} header as {@code [traceId, spanId, flags]}, or null when
   * absent or malformed (then a new trace starts). Version 00 must be exactly 55 characters; a
   * higher version may carry more after the flags, as the spec asks parsers to allow.
   */
  public static String[] parse(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    String t = traceparent.trim();
    if (t.length() < 55 || t.charAt(2) != '-' || t.charAt(35) != '-' || t.charAt(52) != '-') {
      return null;
    }
    String version = t.substring(0, 2);
    if (!isHex(version) || version.equals("ff") || (version.equals("00") && t.length() != 55)
        || (t.length() > 55 && t.charAt(55) != '-')) {
      return null;
    }
    String traceId = t.substring(3, 35);
    String spanId = t.substring(36, 52);
    String flags = t.substring(53, 55);
    if (!isHex(traceId) || !isHex(spanId) || !isHex(flags) || traceId.equals(INVALID_TRACE)
        || spanId.equals(INVALID_SPAN)) {
      return null;
    }
    return new String[] {traceId, spanId, flags};
  }

  /** {@code 00-traceId-spanId-flags}. */
  public static String format(String traceId, String spanId, boolean sampled) {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }

  public static String newTraceId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return hex(r.nextLong(), 16) + hex(r.nextLong(), 16);
  }

  public static String newSpanId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return hex(id, 16);
  }

  private static String hex(long v, int digits) {
    char[] out = new char[digits];
    for (int i = digits - 1; i >= 0; i--) {
      out[i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
    return new String(out);
  }

  /** Lowercase hex only: the spec forbids upper case. */
  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
