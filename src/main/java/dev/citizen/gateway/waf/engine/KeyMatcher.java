package dev.citizen.gateway.waf.engine;

import dev.citizen.gateway.waf.operator.StartSet;
import java.util.regex.Pattern;

/**
 * A selector's key regex ({@code TX:/^header_name_/}, {@code TX:/paramcounter_.*}), answered
 * without a {@link java.util.regex.Matcher} when the pattern is a plain literal: CRS's chained
 * rules walk every TX entry through such a pattern once per match, and building a matcher per
 * entry cost more than the rule itself. Anything beyond the simple shapes below goes to the regex,
 * which tries only the positions where a match can begin ({@link StartSet}): the gateway's
 * free-text exclusion {@code (?:^|\.)(?:text|...)$} then runs at the key's start and at its dots
 * instead of at every character.
 */
final class KeyMatcher {

  private final Pattern regex;
  /** The literal, lower-cased; null when the regex decides. */
  private final String literal;
  private final boolean anchored;
  /** Where the regex can match, when it decides; null to let {@code find} try everywhere. */
  private final StartSet start;
  /**
   * For {@code (?:^|\.)(?:w1|w2|...)$}, the gateway's free-text exclusion: the words, lower-cased
   * (the key ends in one, after a dot or as a whole); null for other shapes. Asked of every
   * argument of a JSON body, the regex at the key's start and at each dot cost ~5% of its
   * inspection.
   */
  private final String[] suffixWords;

  private KeyMatcher(Pattern regex, String literal, boolean anchored) {
    this.regex = regex;
    this.literal = literal;
    this.anchored = anchored;
    this.start = literal == null ? StartSet.of(regex) : null;
    this.suffixWords = literal == null ? suffixWords(regex.pattern()) : null;
  }

  private static final String SUFFIX_START = "(?:^|\\.)(?:";

  private static String[] suffixWords(String p) {
    if (!p.startsWith(SUFFIX_START) || !p.endsWith(")$") || p.length() <= SUFFIX_START.length() + 2) {
      return null;
    }
    String[] words = p.substring(SUFFIX_START.length(), p.length() - 2).split("\\|", -1);
    for (int w = 0; w < words.length; w++) {
      if (words[w].isEmpty()) {
        return null;
      }
      for (int i = 0; i < words[w].length(); i++) {
        if (!literalChar(words[w].charAt(i))) {
          return null;
        }
      }
      words[w] = lower(words[w]);
    }
    return words;
  }

  /**
   * For a pattern compiled {@code CASE_INSENSITIVE | DOTALL}: {@code [^]LITERAL[.*|c*]}, with the
   * literal made of ASCII letters, digits, {@code _} and {@code -}, reduces to "starts with" (with
   * {@code ^}) or "contains" (without), compared ASCII-case-insensitively as java.util.regex does
   * without UNICODE_CASE. A trailing {@code .*} or {@code c*} can match nothing, so {@code find}
   * succeeds exactly when the literal is found.
   */
  static KeyMatcher of(Pattern regex) {
    String p = regex.pattern();
    int start = p.startsWith("^") ? 1 : 0;
    int end = p.length();
    if (end - start >= 2 && p.charAt(end - 1) == '*'
        && (p.charAt(end - 2) == '.' || literalChar(p.charAt(end - 2)))) {
      end -= 2;
    }
    boolean plain = end > start;
    for (int i = start; i < end && plain; i++) {
      plain = literalChar(p.charAt(i));
    }
    String literal = plain ? lower(p.substring(start, end)) : null;
    return new KeyMatcher(regex, literal, start == 1);
  }

  private static boolean literalChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
        || c == '-';
  }

  private static String lower(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      b.append(fold(s.charAt(i)));
    }
    return b.toString();
  }

  /** ASCII-only case folding, java.util.regex's CASE_INSENSITIVE without UNICODE_CASE. */
  private static char fold(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  /** {@code regex.matcher(key).find()}. */
  boolean find(String key) {
    if (suffixWords != null && !endsInLineTerminator(key)) {
      return endsInWord(key);
    }
    if (literal == null) {
      return start == null ? regex.matcher(key).find() : start.find(regex.matcher(key), key);
    }
    int n = literal.length();
    int last = anchored ? 0 : key.length() - n;
    for (int at = 0; at <= last; at++) {
      if (at + n > key.length()) {
        return false;
      }
      if (regionMatches(key, at)) {
        return true;
      }
    }
    return false;
  }

  private boolean regionMatches(String key, int at) {
    return regionMatches(key, at, literal);
  }

  private static boolean regionMatches(String key, int at, String lowerCased) {
    for (int i = 0; i < lowerCased.length(); i++) {
      if (fold(key.charAt(at + i)) != lowerCased.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code $} without MULTILINE also matches before a line terminator that ends the input: such
   * keys are left to the regex, every other key can only match at its very end.
   */
  private static boolean endsInLineTerminator(String key) {
    if (key.isEmpty()) {
      return false;
    }
    char c = key.charAt(key.length() - 1);
    return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  private boolean endsInWord(String key) {
    for (String w : suffixWords) {
      int at = key.length() - w.length();
      if (at >= 0 && (at == 0 || key.charAt(at - 1) == '.') && regionMatches(key, at, w)) {
        return true;
      }
    }
    return false;
  }

  boolean usesRegex() {
    return literal == null && suffixWords == null;
  }
}
