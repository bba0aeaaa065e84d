package dev.citizen.gateway.waf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransformCacheTest {

  @Test
  void keysAreTheInputInstanceAndTheTag() {
    TransformCache c = new TransformCache();
    String in = new String("abc");
    c.put(in, 1, "ABC");
    assertEquals("ABC", c.get(in, 1));
    assertNull(c.get(in, 2), "another tag");
    assertNull(c.get(new String("abc"), 1), "equal text in another instance is another key");
    c.put(in, 1, "X");
    assertEquals("X", c.get(in, 1));
    assertEquals(1, c.size());
  }

  @Test
  void keepsEveryEntryAcrossGrowth() {
    TransformCache c = new TransformCache();
    String[] inputs = new String[5000];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = "v" + (i % 700);
      c.put(inputs[i], i % 7 - 3, "out" + i);
    }
    for (int i = 0; i < inputs.length; i++) {
      assertEquals("out" + i, c.get(inputs[i], i % 7 - 3));
    }
    assertEquals(5000, c.size());
    String same = inputs[0];
    assertSame(c.get(same, -3), c.get(same, -3));
  }

  @Test
  void anEntryKeepsOneMemoOfItsPipelinesResults() {
    Entry e = new Entry("q", "v");
    String[] memo = e.memo().pipelineMemo(8);
    assertEquals(8, memo.length);
    memo[3] = "r3";
    assertSame(memo, e.memo().pipelineMemo(8));
    assertEquals("r3", e.memo().pipelineMemo(8)[3]);
    assertEquals(new Entry("q", "v"), e, "equality is key and value, as for the former record");
  }

  @Test
  void entriesOfOneValueShareTheirMemoAndEachKeepsItsKey() {
    ValueMemo shared = new ValueMemo("v");
    Entry a = new Entry("a", "v", shared);
    Entry b = new Entry("b", "v", shared);
    assertSame(a.memo(), b.memo());
    assertEquals("a", a.key());
    assertEquals("b", b.key());
    assertFalse(shared.missed(70));
    shared.miss(70, 100);
    assertTrue(b.memo().missed(70));
    assertFalse(b.memo().missed(6), "slots are bits of their own: 70 is not 6");
  }
}
