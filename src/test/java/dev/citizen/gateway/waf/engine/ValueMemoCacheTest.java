package dev.citizen.gateway.waf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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

  /** One request's worth: a memo of each value, something learnt, all offered back. */
  private static void request(ValueMemoCache cache, String... values) {
    for (String v : values) {
      ValueMemo m = cache.memoFor(new String(v));
      m.miss(7, 64);
      cache.keep(m);
    }
  }

  @Test
  void twoRecurringValuesThatShareADoorkeeperPlaceAreBothKept() {
    // Seen in the bench: the Host header and a JSON field name, in every request, shared the
    // doorkeeper's one place; each overwrote the other's hash, and neither was ever kept.
    String host = "api.citizen.example";
    String field = "json.performer.array_0.reference";
    assertEquals(ValueMemoCache.door(host.hashCode(), 0x9E3779B9), ValueMemoCache.door(field.hashCode(), 0x9E3779B9));
    ValueMemoCache cache = new ValueMemoCache();
    for (int i = 0; i < 3; i++) {
      request(cache, host, field);
    }
    assertTrue(cache.memoFor(host).missed(7));
    assertTrue(cache.memoFor(field).missed(7));
  }

  @Test
  void twoRecurringValuesOfOneSetAreBothKeptAndAThirdReplacesTheLessRecent() {
    String a = "final";
    List<String> sameSet = new ArrayList<>();
    for (int i = 0; sameSet.size() < 2; i++) {
      String v = "value-" + i;
      if (ValueMemoCache.set(v.hashCode()) == ValueMemoCache.set(a.hashCode()) && v.hashCode() != a.hashCode()) {
        sameSet.add(v);
      }
    }
    String b = sameSet.get(0);
    String c = sameSet.get(1);
    ValueMemoCache cache = new ValueMemoCache();
    for (int i = 0; i < 3; i++) {
      request(cache, a, b);
    }
    assertTrue(cache.memoFor(a).missed(7));
    assertTrue(cache.memoFor(b).missed(7)); // b read last: a is the less recent
    request(cache, c);
    request(cache, c);
    assertNull(cache.held(a));
    assertTrue(cache.memoFor(b).missed(7));
    assertTrue(cache.memoFor(c).missed(7));
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
