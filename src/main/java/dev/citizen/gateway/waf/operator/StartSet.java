package dev.citizen.gateway.waf.operator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a match of a pattern can begin: at a character of a set, or (for {@code ^} under
 * MULTILINE) at the start of a line. {@link RequiredLiterals} computes it with the required
 * literals. java.util.regex's {@code find} tries the whole pattern at every position of the
 * value, and a CRS pattern that opens with an alternation of a dozen branches pays for all of them
 * at each character; with a start set the search tries only the positions where a match can
 * begin ({@code lookingAt} there, with transparent, non-anchoring bounds, which is exactly the
 * attempt {@code find} makes at that position).
 *
 * <p>Sets hold the bytes 0..255 (values are byte strings); a character above 255 in a value is
 * always tried. Letters are held in both ASCII cases, whatever the pattern's flags. {@code ^}
 * counts as "start of any line" (MULTILINE, as the engine compiles {@code @rx}), which also covers
 * the same pattern compiled without MULTILINE (the engine's key regexes).
 */
public final class StartSet {
  /** Characters a match can begin with; null for any. */
  private final long[] bits;
  /** A match can begin at the start of the value or of a line (after {@code \n}). */
  private final boolean lineStart;
  /** A match can begin anywhere without a first character (e.g. the pattern can match ""). */
  private final boolean nullable;

  static final StartSet ANY = new StartSet(null, false, false);
  /** A zero-width assertion that constrains nothing this analysis tracks (look-arounds, {@code $}). */
  static final StartSet ZERO = new StartSet(new long[4], false, true);
  /** {@code ^} under MULTILINE, {@code \A}. */
  static final StartSet LINE = new StartSet(new long[4], true, false);

  private StartSet(long[] bits, boolean lineStart, boolean nullable) {
    this.bits = bits;
    this.lineStart = lineStart;
    this.nullable = nullable;
  }

  /**
   * The start set of {@code pattern} (any flags but COMMENTS, LITERAL and UNICODE_CASE), or null
   * when it is unknown or not worth using: then search with {@code find}.
   */
  public static StartSet of(Pattern pattern) {
    if ((pattern.flags() & (Pattern.COMMENTS | Pattern.LITERAL | Pattern.UNICODE_CASE)) != 0) {
      return null;
    }
    return RequiredLiterals.analyse(pattern.pattern()).start();
  }

  /**
   * {@code m.find()} on {@code input} (which {@code m} reads, possibly through a wrapper), trying
   * only the positions this set allows: at each, {@code lookingAt} over the rest of the value with
   * transparent bounds (look-behinds and {@code \b} see what precedes) and without anchoring
   * bounds ({@code ^} and {@code \A} keep their meaning), which is the attempt {@code find} makes
   * there. The first success is {@code find}'s (leftmost) match, groups included.
   */
  public boolean find(Matcher m, String input) {
    m.useTransparentBounds(true).useAnchoringBounds(false);
    int n = input.length();
    for (int p = next(input, 0); p >= 0; p = p < n ? next(input, p + 1) : -1) {
      m.region(p, n);
      if (m.lookingAt()) {
        return true;
      }
    }
    return false;
  }

  /** A character class: {@code bits} (256 bits) closed under ASCII case. */
  static StartSet chars(long[] bits) {
    long[] b = bits.clone();
    for (int c = 'a'; c <= 'z'; c++) {
      if (has(b, c) || has(b, c - 32)) {
        set(b, c);
        set(b, c - 32);
      }
    }
    return new StartSet(b, false, false);
  }

  static StartSet of(char c) {
    long[] b = new long[4];
    if (c > 255) {
      return new StartSet(b, false, false); // no byte starts it: only values with high characters
    }
    set(b, c);
    return chars(b);
  }

  static boolean has(long[] bits, int c) {
    return (bits[c >>> 6] & (1L << c)) != 0;
  }

  static void set(long[] bits, int c) {
    bits[c >>> 6] |= 1L << c;
  }

  /** This, then {@code next}: where the sequence can begin. */
  StartSet then(StartSet next) {
    return nullable ? new StartSet(union(bits, next.bits), lineStart || next.lineStart, next.nullable) : this;
  }

  /** This or {@code other} (an alternation). */
  StartSet or(StartSet other) {
    return new StartSet(union(bits, other.bits), lineStart || other.lineStart, nullable || other.nullable);
  }

  /** Zero or more of this. */
  StartSet optional() {
    return nullable ? this : new StartSet(bits, lineStart, true);
  }

  private static long[] union(long[] a, long[] b) {
    if (a == null || b == null) {
      return null;
    }
    return new long[] {a[0] | b[0], a[1] | b[1], a[2] | b[2], a[3] | b[3]};
  }

  /**
   * Whether trying only the positions {@link #next} gives is worth it: the pattern cannot begin
   * just anywhere, and its first characters are not most of the alphabet.
   */
  boolean selective() {
    if (nullable || bits == null) {
      return false;
    }
    int n = Long.bitCount(bits[0]) + Long.bitCount(bits[1]) + Long.bitCount(bits[2]) + Long.bitCount(bits[3]);
    return n <= 96;
  }

  /** The first position at or after {@code from} where a match can begin, or -1. */
  int next(String s, int from) {
    int n = s.length();
    for (int p = from; p < n; p++) {
      char c = s.charAt(p);
      if (c > 255 || (bits[c >>> 6] & (1L << c)) != 0) {
        return p;
      }
      if (lineStart && (p == 0 || s.charAt(p - 1) == '\n')) {
        return p;
      }
    }
    // The start of an empty value (or of a line that is empty at its end).
    if (lineStart && from <= n && (n == 0 || s.charAt(n - 1) == '\n')) {
      return n;
    }
    return -1;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("StartSet[");
    if (bits == null) {
      b.append("any");
    } else {
      for (int c = 0; c < 256; c++) {
        if (has(bits, c)) {
          b.append(c >= 33 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
      }
    }
    return b.append(lineStart ? ", lineStart" : "").append(nullable ? ", nullable" : "").append(']').toString();
  }
}
