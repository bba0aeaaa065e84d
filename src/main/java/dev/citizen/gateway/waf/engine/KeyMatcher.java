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

  private KeyMatcher(Pattern regex, String literal, boolean anchored) {
    this.regex = regex;
    this.literal = literal;
    this.anchored = anchored;
    this.start = literal == null ? StartSet.of(regex) : null;
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
    for (int i = 0; i < literal.length(); i++) {
      if (fold(key.charAt(at + i)) != literal.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  boolean usesRegex() {
    return literal == null;
  }
}
