package dev.citizen.gateway.waf.libinjection;

/**
 * One SQL token, libinjection's {@code stoken_t}: its type (a fingerprint letter), where it starts
 * in the input, and its value truncated to {@value #VALUE_SIZE}-1 chars with a NUL after it, as in
 * C (the folding and whitelist rules read the value as a C string).
 */
final class SqliToken {
  /** libinjection's {@code LIBINJECTION_SQLI_TOKEN_SIZE}. */
  static final int VALUE_SIZE = 32;

  int pos;
  int len;
  /** For variables: how many {@code @} preceded the name. */
  int count;

  char type;
  /** The opening quote of a string token, or 0 when the string was opened by the context. */
  char strOpen;
  /** The closing quote of a string token, or 0 when the input ended inside the string. */
  char strClose;

  final char[] val = new char[VALUE_SIZE];
  /**
   * Chars of {@link #val} from this index on are all NUL. C clears a token with memset; filling
   * all 32 chars on every token was a fifth of the detector's time, and values are mostly short.
   */
  private int dirty;

  void clear() {
    pos = 0;
    len = 0;
    count = 0;
    type = 0;
    strOpen = 0;
    strClose = 0;
    clearValue();
  }

  /** The value all NUL, as after C's memset. */
  private void clearValue() {
    for (int i = 0; i < dirty; i++) { // a few chars: a loop beats Arrays.fill's range checks
      val[i] = 0;
    }
    dirty = 0;
  }

  /** The value replaced by the one char {@code c} (the rest NUL). */
  void valueChar(char c) {
    clearValue();
    val[0] = c;
    dirty = 1;
  }

  void assignChar(char type, int pos, char value) {
    this.type = type;
    this.pos = pos;
    this.len = 1;
    val[0] = value;
    val[1] = 0;
    dirty = Math.max(dirty, 2);
  }

  void assign(char type, int pos, int len, CharSequence s, int from) {
    int last = Math.min(len, VALUE_SIZE - 1);
    this.type = type;
    this.pos = pos;
    this.len = last;
    for (int i = 0; i < last; i++) {
      val[i] = s.charAt(from + i);
    }
    val[last] = 0;
    dirty = Math.max(dirty, last + 1);
  }

  void assign(char type, int pos, int len, char[] s) {
    int last = Math.min(len, VALUE_SIZE - 1);
    this.type = type;
    this.pos = pos;
    this.len = last;
    System.arraycopy(s, 0, val, 0, last);
    val[last] = 0;
    dirty = Math.max(dirty, last + 1);
  }

  void copyFrom(SqliToken other) {
    pos = other.pos;
    len = other.len;
    count = other.count;
    type = other.type;
    strOpen = other.strOpen;
    strClose = other.strClose;
    // Beyond both dirty marks both values are NUL: copying up to the larger one copies it all.
    System.arraycopy(other.val, 0, val, 0, Math.max(dirty, other.dirty));
    dirty = other.dirty;
  }

  /** Whether the value equals {@code upperWord} when a-z are upper-cased (C's cstrcasecmp == 0). */
  boolean valueIs(String upperWord) {
    if (len != upperWord.length()) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (SqliKeywords.upper(val[i]) != upperWord.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** C's {@code strchr(val, c) != NULL} for a non-NUL {@code c}: searches up to the first NUL. */
  boolean valueContains(char c) {
    for (int i = 0; i < VALUE_SIZE && val[i] != 0; i++) {
      if (val[i] == c) {
        return true;
      }
    }
    return false;
  }

  boolean isArithmeticOp() {
    char ch = val[0];
    return type == SqliTokenizer.TYPE_OPERATOR
        && len == 1
        && (ch == '*' || ch == '/' || ch == '-' || ch == '+' || ch == '%');
  }

  boolean isUnaryOp() {
    if (type != SqliTokenizer.TYPE_OPERATOR) {
      return false;
    }
    switch (len) {
      case 1:
        return val[0] == '+' || val[0] == '-' || val[0] == '!' || val[0] == '~';
      case 2:
        return val[0] == '!' && val[1] == '!';
      case 3:
        return valueIs("NOT");
      default:
        return false;
    }
  }

  /** The value as a string (for tests and debugging). */
  String value() {
    return new String(val, 0, len);
  }
}
