package dev.citizen.gateway.waf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

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
  void anEntryRemembersEachPipelinesResult() {
    Entry e = new Entry("q", "v");
    assertNull(e.transformed(1));
    for (int p = 1; p <= 20; p++) {
      e.remember(p, "r" + p);
    }
    for (int p = 1; p <= 20; p++) {
      assertEquals("r" + p, e.transformed(p));
    }
    assertNull(e.transformed(21));
    assertEquals(new Entry("q", "v"), e, "equality is key and value, as for the former record");
  }
}
