package dev.citizen.gateway.waf.libinjection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Random byte strings never make either detector throw or hang. */
class FuzzTest {
  private static final String ALPHABET = " '\"`()-#/*!$@\\;,.01aAqQnNeExXbBuU&[]{}<>=:|^~%?\n\u0000\u00a0\u00ff";

  @Test
  void hundredThousandRandomByteStringsNeverThrow() {
    SplittableRandom rnd = new SplittableRandom(20240601L);
    int sqli = 0;
    int xss = 0;
    long start = System.nanoTime();
    for (int i = 0; i < 100_000; i++) {
      int len = rnd.nextInt(48);
      char[] chars = new char[len];
      boolean syntaxHeavy = (i & 1) == 0;
      for (int j = 0; j < len; j++) {
        chars[j] =
            syntaxHeavy
                ? ALPHABET.charAt(rnd.nextInt(ALPHABET.length()))
                : (char) rnd.nextInt(256);
      }
      String input = new String(chars);
      if (Libinjection.sqli(input) != null) {
        sqli++;
      }
      if (Libinjection.xss(input)) {
        xss++;
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    // sanity: the syntax-heavy half finds something, and the whole run is fast
    assertTrue(sqli > 0 && xss > 0, "sqli=" + sqli + " xss=" + xss);
    assertTrue(millis < 30_000, "took " + millis + " ms");
  }

  /**
   * {@link Libinjection#sqli} reuses one tokenizer per thread, its tokens cleared only as far as
   * they were written: whatever came before, each answer must be the one a fresh tokenizer gives.
   */
  @Test
  void theReusedTokenizerAnswersAsAFreshOne() {
    SplittableRandom rnd = new SplittableRandom(20261127L);
    String words = "SELECT UNION ALL FROM WHERE OR AND 1 0x41 'a' \"b\" -- /* */ # ( ) ; , @@version "
        + "sleep(5) aVeryLongIdentifierThatIsLongerThanThirtyTwoCharacters ";
    String[] parts = words.split(" ");
    int differences = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + rnd.nextInt(12);
      for (int j = 0; j < n; j++) {
        sb.append(rnd.nextBoolean() ? parts[rnd.nextInt(parts.length)]
            : String.valueOf(ALPHABET.charAt(rnd.nextInt(ALPHABET.length()))));
        if (rnd.nextInt(3) > 0) {
          sb.append(' ');
        }
      }
      String input = sb.toString();
      if (input.isEmpty()) {
        continue;
      }
      SqliTokenizer fresh = new SqliTokenizer(Libinjection.asBytes(input), 0);
      String expected = SqliDetector.isSqli(fresh) ? fresh.fingerprint() : null;
      if (!java.util.Objects.equals(expected, Libinjection.sqli(input))) {
        differences++;
      }
    }
    assertEquals(0, differences, "inputs the reused tokenizer judged differently");
  }

  @Test
  void longInputsAreHandled() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      sb.append("1' OR '1'='1 <a href=javascript:x> /* $a$ ");
    }
    String input = sb.toString();
    Libinjection.sqli(input);
    Libinjection.xss(input);
  }
}
