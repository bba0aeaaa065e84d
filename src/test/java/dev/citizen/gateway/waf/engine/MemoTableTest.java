package dev.citizen.gateway.waf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemoTableTest {

  @Test
  void findsEveryValueByContentAcrossGrowthAndCollisions() {
    MemoTable table = new MemoTable();
    List<ValueMemo> added = new ArrayList<>();
    // "Aa" and "BB" share a hashCode; 1,000 values make the table grow several times.
    for (String v : new String[] {"Aa", "BB", ""}) {
      added.add(new ValueMemo(v));
    }
    for (int i = 0; i < 1_000; i++) {
      added.add(new ValueMemo("value-" + i));
    }
    for (ValueMemo m : added) {
      assertNull(table.get(new String(m.value())));
      table.add(m);
    }
    assertEquals(added.size(), table.size());
    for (ValueMemo m : added) {
      assertSame(m, table.get(new String(m.value())), m.value());
    }
    assertNull(table.get("value-1000"));
    Set<ValueMemo> slots = new HashSet<>();
    for (ValueMemo m : table.slots()) {
      if (m != null) {
        slots.add(m);
      }
    }
    assertEquals(new HashSet<>(added), slots);
  }
}
