package dev.citizen.gateway.waf.libinjection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link XssDetector#isXss(String)} answers no at once for a value with neither {@code <} nor
 * {@code =}: every way the tokenizer reports XSS needs one of them (a tag, doctype or comment
 * starts with {@code <}; an attribute value follows its name only after {@code =}). Checked here
 * against the tokenizer itself, in all five contexts, on values built from everything else,
 * including the words and marks the detector looks for.
 */
class XssShortcutTest {
  private static final String[] PIECES = {
    "onerror", "onload", " ", "\t", "\n", "\u0000", "\u000b", "\f", "\r", "'", "\"", "`", ">", "/", "!", "?",
    "-", "--", "[if", "xml", "import", "entity", "doctype", "DOCTYPE", "script", "style", "href", "src",
    "javascript:", "vbscript:", "data:", "view-source:", "xlink:href", "&", "#", ";", ":", "(", ")",
    "alert(1)", "a", "B", "0", "\u00a0", "\u00ff", "\u0080", "%", "\\", "]", "]]"
  };

  @Test
  void noValueWithoutLessThanOrEqualsIsXssInAnyContext() {
    SplittableRandom rnd = new SplittableRandom(20261127L);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int n = rnd.nextInt(12); n > 0; n--) {
        if ((i & 1) == 0) {
          b.append(PIECES[rnd.nextInt(PIECES.length)]);
        } else {
          char c;
          do {
            c = (char) rnd.nextInt(256);
          } while (c == '<' || c == '=');
          b.append(c);
        }
      }
      String s = b.toString();
      for (int context = Html5Tokenizer.DATA_STATE; context <= Html5Tokenizer.VALUE_BACK_QUOTE; context++) {
        assertFalse(XssDetector.isXss(s, context), "context " + context + ": " + s);
      }
    }
  }

  @Test
  void theShortcutLeavesDetectionsAlone() {
    assertTrue(XssDetector.isXss("<script>alert(1)</script>"));
    assertTrue(XssDetector.isXss("x onerror=alert(1)"));
    assertTrue(XssDetector.isXss("\" style=x"));
    assertFalse(XssDetector.isXss("Blood pressure systolic & diastolic"));
  }
}
