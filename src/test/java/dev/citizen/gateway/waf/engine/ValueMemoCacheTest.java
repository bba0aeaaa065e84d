package dev.citizen.gateway.waf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ValueMemoCacheTest {

  /** Offers a memo of {@code value} that missed {@code slot}, as two transactions would: kept the second time. */
  private static ValueMemo keepTwice(ValueMemoCache cache, String value, int slot) {
    ValueMemo m = null;
    for (int i = 0; i < 2; i++) {
      m = cache.memoFor(new String(value));
      m.miss(slot, 64);
      cache.keep(m);
    }
    return m;
  }

  @Test
  void aKeptMemoIsCopiedAndItsCopyNeverWritesIt() {
    ValueMemoCache cache = new ValueMemoCache();
    cache.keep(cache.memoFor("final")); // seen once
    ValueMemo first = cache.memoFor("final");
    first.pipelineMemo(4)[1] = "FINAL";
    first.transformedValue(3)[2] = "final!";
    first.miss(5, 70);
    cache.keep(first);
    assertSame(first, cache.held("final"));

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
    keepTwice(cache, "Aa", 0);
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
      keepTwice(cache, v, 0);
    }
    assertTrue(cache.memoFor(shortest).missed(0));
    assertFalse(cache.memoFor(tooLong).missed(0));
  }

  @Test
  void aValueSeenOnceIsRememberedButNotKept() {
    // One-off values (ids, timestamps) would only churn the cache: the first memo is not kept.
    ValueMemoCache cache = new ValueMemoCache();
    ValueMemo once = cache.memoFor("2026-11-27T09:30:00+01:00");
    once.miss(3, 64);
    cache.keep(once);
    assertNull(cache.held("2026-11-27T09:30:00+01:00"));
    ValueMemo again = cache.memoFor("2026-11-27T09:30:00+01:00");
    assertFalse(again.isCopy());
    again.miss(3, 64);
    cache.keep(again);
    assertSame(again, cache.held("2026-11-27T09:30:00+01:00"));
  }

  @Test
  void aCopyThatLearntNothingLeavesTheHeldMemo() {
    ValueMemoCache cache = new ValueMemoCache();
    ValueMemo held = keepTwice(cache, "mmHg", 1);
    ValueMemo reader = cache.memoFor("mmHg");
    assertTrue(reader.missed(1));
    assertEquals("mmHg", reader.value());
    cache.keep(reader);
    assertSame(held, cache.held("mmHg"));
    // A copy that learnt something replaces it, without the doorkeeper: its value recurred.
    ValueMemo learner = cache.memoFor("mmHg");
    learner.miss(2, 64);
    cache.keep(learner);
    assertSame(learner, cache.held("mmHg"));
    assertTrue(cache.memoFor("mmHg").missed(1));
    assertTrue(cache.memoFor("mmHg").missed(2));
  }
}
