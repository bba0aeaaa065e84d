package dev.citizen.gateway.waf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ValueMemoCacheTest {

  @Test
  void aKeptMemoIsCopiedAndItsCopyNeverWritesIt() {
    ValueMemoCache cache = new ValueMemoCache();
    ValueMemo first = cache.memoFor("final");
    first.pipelineMemo(4)[1] = "FINAL";
    first.transformedValue(3)[2] = "final!";
    first.miss(5, 70);
    cache.keep(first);

    ValueMemo copy = cache.memoFor(new String("final"));
    assertNotSame(first, copy);
    assertEquals("FINAL", copy.pipelineResult(1));
    assertEquals("final!", copy.transformed(2));
    assertTrue(copy.missed(5));
    // The copy's writes go to arrays of its own.
    copy.pipelineMemo(4)[2] = "other";
    copy.transformedValue(3)[0] = "other";
    copy.miss(64, 70);
    assertNull(first.pipelineResult(2));
    assertNull(first.transformed(0));
    assertFalse(first.missed(64));
    assertTrue(copy.missed(64));
    assertTrue(copy.missed(5));
  }

  @Test
  void anotherValueInTheSameSlotIsAMiss() {
    ValueMemoCache cache = new ValueMemoCache();
    ValueMemo kept = new ValueMemo("Aa");
    kept.miss(0, 1);
    cache.keep(kept);
    // "Aa" and "BB" have the same hashCode, so the same slot.
    ValueMemo other = cache.memoFor("BB");
    assertEquals("BB", other.value());
    assertFalse(other.missed(0));
    assertTrue(cache.memoFor("Aa").missed(0));
  }

  @Test
  void longValuesAreNotKept() {
    ValueMemoCache cache = new ValueMemoCache();
    String shortest = "x".repeat(ValueMemoCache.MAX_VALUE_CHARS);
    String tooLong = shortest + "x";
    for (String v : new String[] {shortest, tooLong}) {
      ValueMemo m = cache.memoFor(v);
      m.miss(0, 1);
      cache.keep(m);
    }
    assertTrue(cache.memoFor(shortest).missed(0));
    assertFalse(cache.memoFor(tooLong).missed(0));
  }
}
