package dev.citizen.gateway.waf.operator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LiteralIndex#sameHits}: texts it calls alike must scan alike, and it must tell apart the rest. */
class LiteralIndexTest {
  @Test
  void textsThatDifferInAsciiCaseOnlyAreAlike() {
    assertTrue(LiteralIndex.sameHits("Select * FROM x", "select * from x"));
    assertTrue(LiteralIndex.sameHits("", ""));
    assertFalse(LiteralIndex.sameHits("select", "selec"));
    // Pairs that a bit 0x20 apart would confuse, but are not the same letter in two cases.
    assertFalse(LiteralIndex.sameHits("@", "`"));
    assertFalse(LiteralIndex.sameHits("[", "{"));
    assertFalse(LiteralIndex.sameHits("\u00c9", "\u00e9"));
    assertFalse(LiteralIndex.sameHits("\u0100", "\u0120"));
    assertFalse(LiteralIndex.sameHits("a b", "a\u0000b"));
  }

  @Test
  void alikeTextsGetTheSameBits() {
    List<Operator> ops = new ArrayList<>();
    for (String rx : List.of("(?i)union\\s+select", "<script", "(?i:etc/passwd)", "@[a-z]+", "\\{\\{", "`id`")) {
      ops.add(Operators.compile("rx", rx, Path.of(".")));
    }
    LiteralIndex index = LiteralIndex.of(ops);
    Random rnd = new Random(17);
    String alphabet = "unioUNIO selectSELECT<>scriptSCRIPT@[]{}`'etc/passwdETC\u00e9\u00c9";
    for (int t = 0; t < 3000; t++) {
      StringBuilder a = new StringBuilder();
      for (int i = rnd.nextInt(30); i > 0; i--) {
        a.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < a.length(); i++) {
        char c = a.charAt(i);
        b.append(c >= 'a' && c <= 'z' && rnd.nextBoolean() ? (char) (c - 32) : c);
      }
      assertTrue(LiteralIndex.sameHits(a.toString(), b.toString()));
      assertArrayEquals(index.scan(a.toString()), index.scan(b.toString()), a + " / " + b);
    }
  }
}
