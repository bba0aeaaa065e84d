package dev.citizen.gateway.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TraceContextTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";

  @Test
  void parsesTheSpecExample() {
    assertArrayEquals(new String[] {TRACE, SPAN, "01"}, TraceContext.parse("00-" + TRACE + "-" + SPAN + "-01"));
    assertArrayEquals(new String[] {TRACE, SPAN, "00"}, TraceContext.parse(" 00-" + TRACE + "-" + SPAN + "-00 "));
  }

  @Test
  void aLaterVersionMayCarryMore() {
    assertArrayEquals(new String[] {TRACE, SPAN, "01"},
        TraceContext.parse("01-" + TRACE + "-" + SPAN + "-01-what-the-future-holds"));
    assertNull(TraceContext.parse("00-" + TRACE + "-" + SPAN + "-01-extra"), "version 00 is exactly 55 chars");
  }

  @Test
  void rejectsWhatTheSpecRejects() {
    assertNull(TraceContext.parse(null));
    assertNull(TraceContext.parse(""));
    assertNull(TraceContext.parse("ff-" + TRACE + "-" + SPAN + "-01"), "version ff");
    assertNull(TraceContext.parse("00-" + "0".repeat(32) + "-" + SPAN + "-01"), "all-zero trace id");
    assertNull(TraceContext.parse("00-" + TRACE + "-" + "0".repeat(16) + "-01"), "all-zero span id");
    assertNull(TraceContext.parse("00-" + TRACE.toUpperCase() + "-" + SPAN + "-01"), "upper case");
    assertNull(TraceContext.parse("00-" + TRACE + "-" + SPAN + "-0g"), "not hex");
    assertNull(TraceContext.parse("00_" + TRACE + "-" + SPAN + "-01"), "separator");
  }

  @Test
  void newIdsAreWellFormedAndRoundTrip() {
    String t = TraceContext.newTraceId();
    String s = TraceContext.newSpanId();
    assertEquals(32, t.length());
    assertEquals(16, s.length());
    assertTrue(t.matches("[0-9a-f]{32}") && s.matches("[0-9a-f]{16}"));
    assertArrayEquals(new String[] {t, s, "01"}, TraceContext.parse(TraceContext.format(t, s, true)));
  }
}
