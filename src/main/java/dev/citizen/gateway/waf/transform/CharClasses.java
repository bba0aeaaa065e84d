package dev.citizen.gateway.waf.transform;

/**
 * Which kinds of characters a value holds, as bits: what decides, for most transformations,
 * whether they can change the value at all ({@link Transformations#triggers}). A rule set runs
 * ~40 transformation steps over each argument, and on benign values nearly all of them give the
 * value back as it is; with a value's classes known, such a step is one AND instead of a pass
 * over the value.
 */
public final class CharClasses {
  public static final int UPPER = 1;
  public static final int LOWER = 1 << 1;
  /** {@code %} and {@code +} (URL decoding). */
  public static final int PERCENT_PLUS = 1 << 2;
  public static final int AMPERSAND = 1 << 3;
  public static final int BACKSLASH = 1 << 4;
  public static final int NUL = 1 << 5;
  /** C {@code isspace} (space, \t, \n, \v, \f, \r) and the no-break space 0xA0. */
  public static final int SPACE = 1 << 6;
  public static final int STAR = 1 << 7;
  /** {@code -}, {@code #}, {@code <} (comment markers besides the slash-star ones). */
  public static final int DASH_HASH_LT = 1 << 8;
  public static final int SLASH = 1 << 9;
  public static final int DOT = 1 << 10;
  /** Bytes 0x80..0xFF, and any char above (which a byte string should not hold). */
  public static final int HIGH = 1 << 11;
  /** {@code "}, {@code '}, {@code ^} (what cmdLine deletes). */
  public static final int QUOTE_CARET = 1 << 12;
  /** {@code ,} and {@code ;} (what cmdLine turns into spaces). */
  public static final int COMMA_SEMICOLON = 1 << 13;
  /** {@code x} and {@code X} (SQL hex literals). */
  public static final int X = 1 << 14;
  /** Set in every value's classes: a trigger of ALWAYS means "may change any value". */
  public static final int ALWAYS = 1 << 30;

  private static final int[] TABLE = new int[256];

  static {
    for (int c = 'A'; c <= 'Z'; c++) {
      TABLE[c] |= UPPER;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      TABLE[c] |= LOWER;
    }
    TABLE['%'] |= PERCENT_PLUS;
    TABLE['+'] |= PERCENT_PLUS;
    TABLE['&'] |= AMPERSAND;
    TABLE['\\'] |= BACKSLASH;
    TABLE[0] |= NUL;
    for (char c : new char[] {' ', '\t', '\n', 0x0B, '\f', '\r', 0xA0}) {
      TABLE[c] |= SPACE;
    }
    TABLE['*'] |= STAR;
    TABLE['-'] |= DASH_HASH_LT;
    TABLE['#'] |= DASH_HASH_LT;
    TABLE['<'] |= DASH_HASH_LT;
    TABLE['/'] |= SLASH;
    TABLE['.'] |= DOT;
    for (int c = 0x80; c <= 0xFF; c++) {
      TABLE[c] |= HIGH;
    }
    TABLE['"'] |= QUOTE_CARET;
    TABLE['\''] |= QUOTE_CARET;
    TABLE['^'] |= QUOTE_CARET;
    TABLE[','] |= COMMA_SEMICOLON;
    TABLE[';'] |= COMMA_SEMICOLON;
    TABLE['x'] |= X;
    TABLE['X'] |= X;
  }

  private CharClasses() {}

  /** The classes of the characters in {@code s}, with {@link #ALWAYS}. */
  public static int of(String s) {
    int m = ALWAYS;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      m |= c < 256 ? TABLE[c] : HIGH;
    }
    return m;
  }
}
