package dev.citizen.gateway.waf.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PhraseMatch#literals}: the literal index rules a phrase list out for a value that holds
 * none of its literals, so every phrase must hold one, compared the way the automata compare
 * (case-insensitively): then a value holding a phrase holds that phrase's literal.
 */
class PhraseLiteralsTest {

  private static void everyPhraseHoldsALiteral(String what, List<String> phrases) {
    List<String> literals = PhraseMatch.of(phrases).literals();
    assertNotNull(literals, what);
    AhoCorasick index = new AhoCorasick(literals);
    for (String phrase : phrases) {
      assertNotNull(index.find(phrase), () -> what + ": no literal in the phrase " + phrase);
    }
    for (String literal : literals) {
      assertTrue(literal.length() <= PhraseMatch.LITERAL_LENGTH, literal);
    }
  }

  @Test
  void everyPhraseOfEveryCrsDataFileHoldsOneOfItsLiterals() throws IOException {
    assumeTrue(Files.isDirectory(CrsRegexCompileTest.CRS), "modsecurity-crs is not installed");
    int files = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(CrsRegexCompileTest.CRS, "*.data")) {
      for (Path f : dir) {
        everyPhraseHoldsALiteral(f.getFileName().toString(), PhraseMatch.readLines(f, "@pmFromFile"));
        files++;
      }
    }
    assertTrue(files >= 15, "CRS data files: " + files);
  }

  @Test
  void randomPhraseListsInMixedCase() {
    Random random = new Random(27);
    String alphabet = "abcXYZ/._-$ 019<>'\"\u00e9";
    for (int round = 0; round < 200; round++) {
      List<String> phrases = new java.util.ArrayList<>();
      for (int p = 1 + random.nextInt(20); p > 0; p--) {
        StringBuilder b = new StringBuilder();
        for (int n = 1 + random.nextInt(12); n > 0; n--) {
          b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        phrases.add(b.toString());
      }
      everyPhraseHoldsALiteral("round " + round, phrases);
    }
  }

  @Test
  void theRarestPieceIsTakenAndShortPhrasesWhole() {
    // "c/p" and "/pa" score alike (letters 5%, "/" 2%): the first wins.
    assertEquals(List.of("c/p", "ok"), PhraseMatch.of(List.of("etc/passwd", "ok")).literals());
    assertNull(PhraseMatch.inline("%{tx.words}").literals());
  }

  @Test
  void aListThatCannotMatchAValueIsRuledOutByTheIndex() {
    PhraseMatch pm = PhraseMatch.of(List.of("etc/passwd", "$_GET"));
    LiteralIndex index = LiteralIndex.of(List.of(pm));
    int slot = index.slot(pm);
    assertTrue(slot >= 0);
    assertTrue(!LiteralIndex.has(index.scan("Blood pressure panel"), slot));
    assertTrue(LiteralIndex.has(index.scan("../../ETC/PASSWD"), slot));
    assertTrue(LiteralIndex.has(index.scan("x=$_get"), slot));
  }
}
