package dev.citizen.gateway.waf.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Transformations#triggers}: the engine passes over a transformation for a value that
 * holds none of its trigger classes, so a value made only of other characters must come back
 * unchanged. Checked for every transformation with a trigger set, on random values drawn from
 * all the other bytes (the same seed every run) and on the characters one by one and in pairs.
 */
class TriggersTest {

  /** Every byte 0..255 whose classes miss {@code triggers}. */
  private static char[] alphabetWithout(int triggers) {
    StringBuilder b = new StringBuilder();
    for (char c = 0; c < 256; c++) {
      if ((CharClasses.of(String.valueOf(c)) & triggers) == 0) {
        b.append(c);
      }
    }
    return b.toString().toCharArray();
  }

  @Test
  void aValueWithoutTheTriggersComesBackUnchanged() {
    Random random = new Random(20261127);
    int checked = 0;
    for (String name : Transformations.names()) {
      int triggers = Transformations.triggers(name);
      if (triggers == CharClasses.ALWAYS) {
        continue;
      }
      Transformation t = Transformations.byName(name);
      char[] alphabet = alphabetWithout(triggers);
      List<String> values = new ArrayList<>();
      values.add("");
      for (char a : alphabet) {
        values.add(String.valueOf(a));
        for (char b : alphabet) {
          values.add(new String(new char[] {a, b}));
        }
      }
      for (int i = 0; i < 20_000; i++) {
        char[] v = new char[1 + random.nextInt(40)];
        for (int k = 0; k < v.length; k++) {
          v[k] = alphabet[random.nextInt(alphabet.length)];
        }
        values.add(new String(v));
      }
      for (String v : values) {
        assertEquals(v, t.apply(v), () -> name + " changed a value without its triggers: " + escape(v));
      }
      checked++;
    }
    assertTrue(checked >= 20, "transformations with triggers: " + checked);
  }

  @Test
  void eachTriggerSetIsNeeded() {
    // Not a proof of minimality, but a guard against a set that silently covers nothing.
    String[][] changes = {
        {"lowercase", "A"}, {"urlDecodeUni", "%41"}, {"urlDecode", "a+b"}, {"htmlEntityDecode", "&lt;"},
        {"jsDecode", "\\x41"}, {"cssDecode", "\\41"}, {"removeNulls", "a\0"}, {"compressWhitespace", "a \t b"},
        {"removeWhitespace", "a b"}, {"replaceComments", "a/*b*/"}, {"removeCommentsChar", "a--"},
        {"cmdLine", "A"}, {"normalizePath", "a/./b"}, {"normalizePathWin", "a\\.\\b"},
        {"utf8toUnicode", "\u00c3\u00a9"}, {"sqlHexDecode", "0x4142"}, {"trim", " a"}};
    for (String[] c : changes) {
      assertNotEquals(c[1], Transformations.byName(c[0]).apply(c[1]), c[0]);
      assertTrue((CharClasses.of(c[1]) & Transformations.triggers(c[0])) != 0, c[0]);
    }
  }

  @Test
  void classesOfAValue() {
    assertEquals(CharClasses.ALWAYS, CharClasses.of(""));
    assertEquals(CharClasses.ALWAYS, CharClasses.of("123"));
    assertEquals(CharClasses.ALWAYS | CharClasses.UPPER | CharClasses.LOWER | CharClasses.QUOTE_CARET
        | CharClasses.SPACE, CharClasses.of("Siobhan O'Brien"));
    assertEquals(CharClasses.ALWAYS | CharClasses.HIGH, CharClasses.of("\u00e9\u0100"));
  }

  private static String escape(String v) {
    StringBuilder b = new StringBuilder();
    for (char c : v.toCharArray()) {
      b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return b.toString();
  }
}
