package dev.citizen.gateway.waf.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The dense transition table must find what a naive search finds, at the same (earliest) end. */
class AhoCorasickTest {
  @Test
  void theSparseWalkOfAnAutomatonTooWideForTheTableFindsWhatTheTableWould() {
    // Over 127 distinct characters: no dense table, find and collect take the sparse walk.
    List<String> phrases = new ArrayList<>();
    for (char c = '!'; c < 200; c++) {
      phrases.add("x" + c + "y");
    }
    AhoCorasick ac = new AhoCorasick(phrases);
    assertTrue(!ac.dense());
    List<long[]> bits = new ArrayList<>();
    for (int i = 0; i < phrases.size(); i++) {
      long[] b = new long[4];
      b[i >>> 6] |= 1L << i;
      bits.add(b);
    }
    long[][] masks = ac.nodeMasks(bits, 4);
    Random rnd = new Random(3);
    for (int t = 0; t < 2000; t++) {
      String text = randomText(rnd, "xXyY!#a\u00b5", rnd.nextInt(12));
      String lower = fold(text);
      long[] expected = new long[4];
      int earliestEnd = Integer.MAX_VALUE;
      for (int i = 0; i < phrases.size(); i++) {
        int at = lower.indexOf(fold(phrases.get(i)));
        if (at >= 0) {
          expected[i >>> 6] |= 1L << i;
          earliestEnd = Math.min(earliestEnd, at + 3);
        }
      }
      long[] hits = new long[4];
      ac.collect(text, masks, hits);
      assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(hits), text);
      String found = ac.find(text);
      if (earliestEnd == Integer.MAX_VALUE) {
        assertNull(found, text);
      } else {
        assertTrue(found != null && lower.substring(0, earliestEnd).endsWith(fold(found)), text + ": " + found);
      }
    }
  }

  @Test
  void collectFindsEveryPhrasePresentLikeANaiveSearch() {
    // Each phrase's owner bit (phrase i owns bit i % 70, so bits share words and owners repeat).
    Random rnd = new Random(11);
    String alphabet = "abcAB;'\u00e9\u00c9 ";
    for (int round = 0; round < 300; round++) {
      List<String> phrases = new ArrayList<>();
      for (int p = 1 + rnd.nextInt(12); p > 0; p--) {
        phrases.add(randomText(rnd, alphabet, 1 + rnd.nextInt(4)));
      }
      List<long[]> bits = new ArrayList<>();
      for (int i = 0; i < phrases.size(); i++) {
        long[] b = new long[2];
        b[(i % 70) >>> 6] |= 1L << (i % 70);
        bits.add(b);
      }
      AhoCorasick ac = new AhoCorasick(phrases);
      long[][] masks = ac.nodeMasks(bits, 2);
      for (int t = 0; t < 50; t++) {
        String text = randomText(rnd, alphabet + "\u0100", rnd.nextInt(20));
        long[] expected = new long[2];
        for (int i = 0; i < phrases.size(); i++) {
          if (!phrases.get(i).isEmpty() && fold(text).contains(fold(phrases.get(i)))) {
            expected[(i % 70) >>> 6] |= 1L << (i % 70);
          }
        }
        long[] hits = new long[2];
        ac.collect(text, masks, hits);
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(hits), phrases + " in " + text);
      }
    }
  }

  @Test
  void findsTheEarliestEndingPhraseLikeANaiveSearch() {
    Random rnd = new Random(7);
    String alphabet = "abcAB;'\u00e9\u00c9 ";
    for (int round = 0; round < 300; round++) {
      List<String> phrases = new ArrayList<>();
      for (int p = 1 + rnd.nextInt(12); p > 0; p--) {
        phrases.add(randomText(rnd, alphabet, 1 + rnd.nextInt(4)));
      }
      AhoCorasick ac = new AhoCorasick(phrases);
      for (int t = 0; t < 50; t++) {
        String text = randomText(rnd, alphabet + "\u0100", rnd.nextInt(20));
        String lower = fold(text);
        int earliestEnd = Integer.MAX_VALUE;
        for (String p : phrases) {
          int at = lower.indexOf(fold(p));
          if (at >= 0) {
            earliestEnd = Math.min(earliestEnd, at + p.length());
          }
        }
        String found = ac.find(text);
        if (earliestEnd == Integer.MAX_VALUE) {
          assertNull(found, phrases + " in " + text);
        } else {
          assertTrue(found != null && lower.substring(0, earliestEnd).endsWith(fold(found)), phrases + " in " + text + ": " + found);
        }
      }
    }
  }

  @Test
  void nodesAreNumberedBreadthFirstWhateverTheOrderOfThePhrases() {
    // Inserted as listed, "abcdef" would number its six nodes before the root's other children.
    AhoCorasick ac = new AhoCorasick(List.of("abcdef", "b", "cd", "xyz", "c"));
    assertTrue(ac.breadthFirst());
    assertTrue(ac.dense());
    assertEquals("b", ac.find("zzabz"));
    assertEquals("c", ac.find("xyc"));
    assertEquals("xyz", ac.find("xyz"));
    assertNull(ac.find("xy a"));
  }

  @Test
  void foldsAsciiCaseOnly() {
    AhoCorasick ac = new AhoCorasick(List.of("SeLeCt", "\u00e9t\u00e9"));
    assertEquals("SeLeCt", ac.find("x select y"));
    assertEquals("\u00e9t\u00e9", ac.find("\u00e9T\u00e9"));
    assertNull(ac.find("\u00c9T\u00c9"));
  }

  private static String fold(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return b.toString();
  }

  private static String randomText(Random rnd, String alphabet, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
