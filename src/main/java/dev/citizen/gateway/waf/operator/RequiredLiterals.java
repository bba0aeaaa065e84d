package dev.citizen.gateway.waf.operator;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The "required factors" of a translated {@code @rx} pattern, as RE2, Hyperscan and Rust's regex
 * compute them: a set of literal strings such that every match of the pattern contains at least
 * one of them. java.util.regex has no such optimisation and tries each of CRS's big alternations
 * at every position of every value, so most of the WAF's time went into searches that could not
 * succeed; one pass of an Aho-Corasick automaton over the value answers most of them instead.
 *
 * <p>Case is ignored throughout: literals are folded to ASCII lower case and so is the value when
 * it is scanned. That is right whatever the {@code (?i)} flags say, because folding both sides
 * keeps every occurrence (only Java's {@code UNICODE_CASE}, flag {@code u}, folds beyond ASCII,
 * and a pattern that sets it gets no prefilter).
 *
 * <p>The analysis works on the Java pattern that actually runs (after {@link PcreTranslator}),
 * and is conservative: anything it does not fully understand (back-references, {@code \Q},
 * nested classes, unknown flags or group kinds) means no prefilter for the whole pattern; parts it
 * cannot bound ({@code .}, {@code \w}, negated or large classes, optional or repeated parts,
 * look-arounds) contribute no literal, only a gap. For each node it tracks:
 *
 * <ul>
 *   <li>{@code exact}: every string the node can match, when that is a small finite set (a
 *       zero-width assertion matches only ""); sequences multiply these out, alternations unite
 *       them;
 *   <li>{@code factor}: a set such that each string the node matches contains one of them; for a
 *       sequence the best of its elements' sets and of the exact sets of its runs, for an
 *       alternation the union of its branches' sets (none if one branch has none).
 * </ul>
 */
final class RequiredLiterals {
  private RequiredLiterals() {}

  /** Largest exact set kept; products beyond it end the run. */
  static final int MAX_EXACT = 256;
  /** Largest factor set kept; a union beyond it gives none. */
  static final int MAX_FACTOR = 2048;
  /** Largest character class taken as a set of single characters. */
  static final int MAX_CLASS = 12;

  private static final class Unsupported extends RuntimeException {
    Unsupported(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * What a node is known to match. Null {@code exact}/{@code factor} mean "unknown" / "no factor";
   * {@code start} says where its matches can begin.
   */
  private record Info(Set<String> exact, Set<String> factor, StartSet start) {
    /** A zero-width assertion this analysis does not narrow (look-arounds, {@code $}, flags). */
    static final Info ZERO_WIDTH = new Info(Set.of(""), null, StartSet.ZERO);

    static Info of(Set<String> exact, Set<String> factor, StartSet start) {
      return new Info(exact, better(factor, usable(exact)), start);
    }

    static Info unknown(StartSet start) {
      return new Info(null, null, start);
    }
  }

  /**
   * Both analyses of a pattern: {@code literals} as {@link #of}, and where its matches can begin
   * ({@code start}, null when unknown or no narrower than "anywhere").
   */
  record Analysis(List<String> literals, StartSet start) {
    static final Analysis NONE = new Analysis(null, null);
  }

  /**
   * The literals (lower case, none empty) one of which every match of {@code javaPattern} must
   * contain, or null when the analysis cannot say.
   */
  static List<String> of(String javaPattern) {
    return analyse(javaPattern).literals();
  }

  /**
   * The required literals and the start set of {@code javaPattern}, compiled with the engine's
   * flags ({@link PcreTranslator#FLAGS}: MULTILINE, so {@code ^} begins any line).
   */
  static Analysis analyse(String javaPattern) {
    try {
      Parser parser = new Parser(javaPattern);
      Info info = parser.alternation();
      if (parser.i != javaPattern.length()) {
        return Analysis.NONE; // a stray ')': not a pattern this parser understands
      }
      Set<String> factor = info.factor();
      List<String> literals = factor == null || factor.isEmpty() || factor.contains("") ? null : List.copyOf(factor);
      // \G matches where the region begins: trying a later position would let it match there.
      StartSet start = parser.regionAnchor || !info.start().selective() ? null : info.start();
      return new Analysis(literals, start);
    } catch (Unsupported | IndexOutOfBoundsException e) {
      return Analysis.NONE;
    }
  }

  /** The set itself if every string in it is non-empty, else null. */
  private static Set<String> usable(Set<String> set) {
    return set == null || set.isEmpty() || set.contains("") ? null : set;
  }

  /**
   * The more selective of two factor sets: the one less likely to occur in ordinary text
   * ({@link #expectedHits}), so that the prefilter passes as few benign values as it can; a set
   * of single letters (which any text holds) loses to one of rare punctuation.
   */
  private static Set<String> better(Set<String> a, Set<String> b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return expectedHits(b) < expectedHits(a) ? b : a;
  }

  /**
   * Roughly how often the literals of {@code set} occur in a position of ordinary text (names,
   * clinical notes, URLs): the sum over literals of the product of their characters' frequencies.
   * Only the order matters; frequencies are coarse (lower-case letters ~5%, space 15%, digits and
   * common punctuation 2%, other bytes 0.2%).
   */
  static double expectedHits(Set<String> set) {
    double sum = 0;
    for (String literal : set) {
      double p = 1;
      for (int i = 0; i < literal.length() && p > 1e-12; i++) {
        p *= frequency(literal.charAt(i));
      }
      sum += p;
    }
    return sum;
  }

  private static double frequency(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return 0.05;
    }
    if (c == ' ') {
      return 0.15;
    }
    if ((c >= '0' && c <= '9') || ".,-/:_'\"".indexOf(c) >= 0) {
      return 0.02;
    }
    return 0.002;
  }

  private static int minLength(Set<String> set) {
    int min = Integer.MAX_VALUE;
    for (String s : set) {
      min = Math.min(min, s.length());
    }
    return min;
  }

  /** Every concatenation of a string from {@code a} and one from {@code b}, or null if too many. */
  private static Set<String> product(Set<String> a, Set<String> b) {
    if ((long) a.size() * b.size() > MAX_EXACT) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (String x : a) {
      for (String y : b) {
        out.add(x + y);
      }
    }
    return out;
  }

  private static Set<String> union(Set<String> a, Set<String> b, int max) {
    if (a == null || b == null) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return out.size() > max ? null : out;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  /** A recursive-descent reader of the Java regex dialect that PcreTranslator produces. */
  private static final class Parser {
    private final String s;
    int i;
    /** The pattern uses {@code \G}. */
    boolean regionAnchor;
    /** The class being read holds a member whose characters are not tracked ({@code \p{..}}). */
    private boolean classUntracked;

    Parser(String s) {
      this.s = s;
    }

    private boolean more() {
      return i < s.length();
    }

    Info alternation() {
      Info result = sequence();
      while (more() && s.charAt(i) == '|') {
        i++;
        Info next = sequence();
        result = Info.of(union(result.exact(), next.exact(), MAX_EXACT), union(result.factor(), next.factor(), MAX_FACTOR),
            result.start().or(next.start()));
      }
      return result;
    }

    private Info sequence() {
      Set<String> whole = Set.of("");
      Set<String> run = Set.of("");
      Set<String> best = null;
      StartSet start = StartSet.ZERO;
      while (more() && s.charAt(i) != '|' && s.charAt(i) != ')') {
        Info e = quantified(atom());
        start = start.then(e.start());
        best = better(best, e.factor());
        whole = whole == null || e.exact() == null ? null : product(whole, e.exact());
        if (e.exact() == null) {
          best = better(best, usable(run));
          run = Set.of("");
          continue;
        }
        Set<String> longer = product(run, e.exact());
        if (longer == null) {
          best = better(best, usable(run));
          run = e.exact();
        } else {
          run = longer;
        }
      }
      best = better(best, usable(run));
      return Info.of(whole, best, start);
    }

    /** Applies a quantifier after the atom, if there is one. */
    private Info quantified(Info atom) {
      if (!more()) {
        return atom;
      }
      char q = s.charAt(i);
      int min;
      int max;
      if (q == '?') {
        min = 0;
        max = 1;
        i++;
      } else if (q == '*') {
        min = 0;
        max = Integer.MAX_VALUE;
        i++;
      } else if (q == '+') {
        min = 1;
        max = Integer.MAX_VALUE;
        i++;
      } else if (q == '{') {
        int close = s.indexOf('}', i);
        if (close < 0) {
          throw new Unsupported("unclosed {");
        }
        String body = s.substring(i + 1, close);
        if (!body.matches("\\d{1,6}(,\\d{0,6})?")) {
          throw new Unsupported("odd quantifier");
        }
        int comma = body.indexOf(',');
        min = Integer.parseInt(comma < 0 ? body : body.substring(0, comma));
        max = comma < 0 ? min : comma == body.length() - 1 ? Integer.MAX_VALUE : Integer.parseInt(body.substring(comma + 1));
        i = close + 1;
      } else {
        return atom;
      }
      if (more() && (s.charAt(i) == '?' || s.charAt(i) == '+')) {
        i++; // lazy or possessive: matches a subset of the same strings
      }
      if (more() && (s.charAt(i) == '?' || s.charAt(i) == '*' || s.charAt(i) == '+' || s.charAt(i) == '{')) {
        throw new Unsupported("stacked quantifiers");
      }
      if (max == 0) {
        return Info.ZERO_WIDTH;
      }
      if (min == 0) {
        Set<String> exact = max == 1 && atom.exact() != null ? union(atom.exact(), Set.of(""), MAX_EXACT) : null;
        return Info.of(exact, null, atom.start().optional());
      }
      // At least one repetition: each match contains one of the atom's matches.
      return Info.of(min == 1 && max == 1 ? atom.exact() : null, atom.factor(), atom.start());
    }

    private Info atom() {
      char c = s.charAt(i);
      switch (c) {
        case '(':
          return group();
        case '[':
          return characterClass();
        case '\\':
          return escape();
        case '.':
          i++;
          return Info.unknown(StartSet.ANY);
        case '^':
          i++;
          return new Info(Set.of(""), null, StartSet.LINE);
        case '$':
          i++;
          return Info.ZERO_WIDTH;
        case '*', '+', '?', '{':
          throw new Unsupported("quantifier without atom");
        default:
          i++;
          return Info.of(Set.of(String.valueOf(lower(c))), null, StartSet.of(c));
      }
    }

    private Info group() {
      i++; // (
      boolean zeroWidth = false;
      if (s.charAt(i) == '?') {
        i++;
        char k = s.charAt(i);
        if (k == ':' || k == '>') {
          i++;
        } else if (k == '=' || k == '!') {
          i++;
          zeroWidth = true;
        } else if (k == '<' && (s.charAt(i + 1) == '=' || s.charAt(i + 1) == '!')) {
          i += 2;
          zeroWidth = true;
        } else if (k == '<') {
          int close = s.indexOf('>', i);
          if (close < 0 || !s.substring(i + 1, close).matches("[a-zA-Z][a-zA-Z0-9]*")) {
            throw new Unsupported("odd named group");
          }
          i = close + 1;
        } else {
          int j = i;
          while (j < s.length() && "imsd-".indexOf(s.charAt(j)) >= 0) {
            j++;
          }
          if (j == i || j >= s.length() || (s.charAt(j) != ')' && s.charAt(j) != ':')) {
            throw new Unsupported("flags other than i, m, s, d, or an unknown group kind");
          }
          i = j + 1;
          if (s.charAt(j) == ')') {
            return Info.ZERO_WIDTH; // flags for the rest of the group: case is ignored anyway
          }
        }
      }
      Info inner = alternation();
      if (!more() || s.charAt(i) != ')') {
        throw new Unsupported("unclosed group");
      }
      i++;
      return zeroWidth ? Info.ZERO_WIDTH : inner;
    }

    /**
     * A class: as a literal, the set of its characters when small and not negated, else unknown;
     * as a start, all its bytes.
     */
    private Info characterClass() {
      i++; // [
      boolean bounded = true;
      boolean negated = false;
      long[] members = new long[4];
      classUntracked = false;
      if (s.charAt(i) == '^') {
        bounded = false;
        negated = true;
        i++;
      }
      if (s.charAt(i) == ']') {
        throw new Unsupported("leading ] in a class");
      }
      Set<String> chars = new LinkedHashSet<>();
      while (true) {
        char c = s.charAt(i);
        if (c == ']') {
          i++;
          break;
        }
        if (c == '[' || (c == '&' && s.charAt(i + 1) == '&')) {
          throw new Unsupported("nested class or intersection");
        }
        int lo = classChar(members, chars);
        if (lo == SMALL_ESCAPE) {
          continue;
        }
        if (lo < 0) {
          bounded = false;
          continue;
        }
        int hi = lo;
        if (s.charAt(i) == '-' && s.charAt(i + 1) != ']') {
          i++;
          if (s.charAt(i) == '[') {
            throw new Unsupported("nested class");
          }
          hi = classChar(members, null);
          if (hi < lo) {
            throw new Unsupported("odd range");
          }
        }
        for (int x = lo; x <= Math.min(hi, 255); x++) {
          StartSet.set(members, x);
        }
        if (hi - lo >= MAX_CLASS) {
          bounded = false;
          continue;
        }
        for (int x = lo; x <= hi && bounded; x++) {
          chars.add(String.valueOf(lower((char) x)));
        }
      }
      StartSet start;
      if (classUntracked) {
        start = StartSet.ANY;
      } else if (negated) {
        // The complement of the listed bytes, then both cases: a superset with or without (?i).
        start = StartSet.chars(new long[] {~members[0], ~members[1], ~members[2], ~members[3]});
      } else {
        start = StartSet.chars(members);
      }
      return bounded && !chars.isEmpty() && chars.size() <= MAX_CLASS ? Info.of(chars, null, start) : Info.unknown(start);
    }

    /** A classChar result: {@code \d} or {@code \s}, taken as its characters. */
    private static final int SMALL_ESCAPE = -2;

    /** The characters of {@code \d} or {@code \s} (ASCII, as Java has them without UNICODE_CHARACTER_CLASS). */
    private static Set<String> smallEscape(char e) {
      Set<String> out = new LinkedHashSet<>();
      if (e == 'd') {
        for (char c = '0'; c <= '9'; c++) {
          out.add(String.valueOf(c));
        }
      } else {
        for (char c : new char[] {' ', '\t', '\n', 0x0B, '\f', '\r'}) {
          out.add(String.valueOf(c));
        }
      }
      return out;
    }

    /** The bytes of a class escape ({@code \d}, {@code \W}...); null when not tracked. */
    private static long[] escapeClass(char e) {
      long[] b = new long[4];
      switch (Character.toLowerCase(e)) {
        case 'd' -> range(b, '0', '9');
        case 'w' -> {
          range(b, 'a', 'z');
          range(b, 'A', 'Z');
          range(b, '0', '9');
          StartSet.set(b, '_');
        }
        case 's' -> {
          for (char c : new char[] {' ', '\t', '\n', 0x0B, '\f', '\r'}) {
            StartSet.set(b, c);
          }
        }
        default -> {
          return null;
        }
      }
      if (Character.isUpperCase(e)) {
        for (int k = 0; k < 4; k++) {
          b[k] = ~b[k];
        }
      }
      return b;
    }

    private static void range(long[] b, char lo, char hi) {
      for (int c = lo; c <= hi; c++) {
        StartSet.set(b, c);
      }
    }

    /**
     * One character of a class (advancing past it), or -1 for a class escape like {@code \w},
     * whose bytes go into {@code members} (or mark the class untracked); {@link #SMALL_ESCAPE} for
     * {@code \d} or {@code \s}, whose characters also go into {@code chars} when it is given.
     */
    private int classChar(long[] members, Set<String> chars) {
      char c = s.charAt(i);
      if (c != '\\') {
        i++;
        return c;
      }
      char e = s.charAt(i + 1);
      if ("dDsSwWhHvV".indexOf(e) >= 0) {
        i += 2;
        long[] b = escapeClass(e);
        if (b == null) {
          classUntracked = true;
        } else {
          for (int k = 0; k < 4; k++) {
            members[k] |= b[k];
          }
        }
        if (chars != null && (e == 'd' || e == 's')) {
          chars.addAll(smallEscape(e));
          return SMALL_ESCAPE;
        }
        return -1;
      }
      if (e == 'p' || e == 'P') {
        skipProperty();
        classUntracked = true;
        return -1;
      }
      return escapedChar();
    }

    private void skipProperty() {
      if (s.charAt(i + 2) == '{') {
        int close = s.indexOf('}', i + 3);
        if (close < 0) {
          throw new Unsupported("unclosed \\p{");
        }
        i = close + 1;
      } else {
        i += 3;
      }
    }

    /** An escape that stands for one known character: its code, advancing past it. */
    private int escapedChar() {
      char e = s.charAt(i + 1);
      switch (e) {
        case 't': i += 2; return '\t';
        case 'n': i += 2; return '\n';
        case 'r': i += 2; return '\r';
        case 'f': i += 2; return '\f';
        case 'a': i += 2; return 0x07;
        case 'e': i += 2; return 0x1B;
        case 'x': {
          if (s.charAt(i + 2) == '{') {
            throw new Unsupported("\\x{...}");
          }
          int v = Integer.parseInt(hex(i + 2, 2), 16);
          i += 4;
          return v;
        }
        case 'u': {
          int v = Integer.parseInt(hex(i + 2, 4), 16);
          i += 6;
          return v;
        }
        case 'c': {
          int v = s.charAt(i + 2) ^ 64;
          i += 3;
          return v;
        }
        default:
          if (Character.isLetterOrDigit(e)) {
            throw new Unsupported("escape \\" + e);
          }
          i += 2;
          return e; // escaped punctuation, space or a high character: itself
      }
    }

    private String hex(int from, int count) {
      String h = s.substring(from, from + count);
      if (!h.matches("[0-9a-fA-F]+")) {
        throw new Unsupported("odd hex escape");
      }
      return h;
    }

    private Info escape() {
      char e = s.charAt(i + 1);
      if ("bBAGZz".indexOf(e) >= 0) {
        i += 2;
        regionAnchor |= e == 'G';
        return e == 'A' ? new Info(Set.of(""), null, StartSet.LINE) : Info.ZERO_WIDTH;
      }
      if ("dDsSwWhHvVRX".indexOf(e) >= 0) {
        i += 2;
        long[] b = escapeClass(e);
        StartSet start = b == null ? StartSet.ANY : StartSet.chars(b);
        // \d and \s are small sets: as exact characters they can be required (CRS's 932150 must
        // end on whitespace or one of ;|&<>, which rules out every JSON argument name).
        return e == 'd' || e == 's' ? Info.of(smallEscape(e), null, start) : Info.unknown(start);
      }
      if (e == 'p' || e == 'P') {
        skipProperty();
        return Info.unknown(StartSet.ANY);
      }
      int c = escapedChar();
      return Info.of(Set.of(String.valueOf(lower((char) c))), null, StartSet.of((char) c));
    }
  }
}
