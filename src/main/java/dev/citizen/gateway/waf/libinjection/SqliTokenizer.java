package dev.citizen.gateway.waf.libinjection;

import java.util.Arrays;

/**
 * libinjection's SQL tokenizer ({@code libinjection_sqli_tokenize} and its parsers) and the
 * per-input state ({@code struct libinjection_sqli_state}).
 *
 * <p>Each call of {@link #tokenize()} writes the next token into {@link #current}. The tokenizer
 * pretends the input starts inside a single- or double-quoted string when asked to by the flags,
 * and treats {@code #} and {@code --x} as comments in MySQL mode. The port keeps the C code's
 * byte-level quirks (NUL ends words, bytes over 127 are signed in a few comparisons, 0xA0 is
 * white space) so that fingerprints match ModSecurity's exactly.
 */
final class SqliTokenizer {
  static final char TYPE_NONE = 0;
  static final char TYPE_KEYWORD = 'k';
  static final char TYPE_UNION = 'U';
  static final char TYPE_GROUP = 'B';
  static final char TYPE_EXPRESSION = 'E';
  static final char TYPE_SQLTYPE = 't';
  static final char TYPE_FUNCTION = 'f';
  static final char TYPE_BAREWORD = 'n';
  static final char TYPE_NUMBER = '1';
  static final char TYPE_VARIABLE = 'v';
  static final char TYPE_STRING = 's';
  static final char TYPE_OPERATOR = 'o';
  static final char TYPE_LOGIC_OPERATOR = '&';
  static final char TYPE_COMMENT = 'c';
  static final char TYPE_COLLATE = 'A';
  static final char TYPE_LEFTPARENS = '(';
  static final char TYPE_RIGHTPARENS = ')';
  static final char TYPE_LEFTBRACE = '{';
  static final char TYPE_RIGHTBRACE = '}';
  static final char TYPE_DOT = '.';
  static final char TYPE_COMMA = ',';
  static final char TYPE_COLON = ':';
  static final char TYPE_SEMICOLON = ';';
  static final char TYPE_TSQL = 'T';
  static final char TYPE_UNKNOWN = '?';
  static final char TYPE_EVIL = 'X';
  static final char TYPE_FINGERPRINT = 'F';
  static final char TYPE_BACKSLASH = '\\';

  static final int FLAG_QUOTE_NONE = 1;
  static final int FLAG_QUOTE_SINGLE = 2;
  static final int FLAG_QUOTE_DOUBLE = 4;
  static final int FLAG_SQL_ANSI = 8;
  static final int FLAG_SQL_MYSQL = 16;

  /** libinjection's {@code LIBINJECTION_SQLI_MAX_TOKENS}. */
  static final int MAX_TOKENS = 5;

  private static final char CHAR_SINGLE = '\'';
  private static final char CHAR_DOUBLE = '"';
  private static final char CHAR_TICK = '`';

  // The parsers of libinjection's char_parse_map, one code per ASCII char.
  private static final byte P_WHITE = 0;
  private static final byte P_OPERATOR2 = 1;
  private static final byte P_STRING = 2;
  private static final byte P_HASH = 3;
  private static final byte P_MONEY = 4;
  private static final byte P_OPERATOR1 = 5;
  private static final byte P_CHAR = 6;
  private static final byte P_DASH = 7;
  private static final byte P_NUMBER = 8;
  private static final byte P_SLASH = 9;
  private static final byte P_OTHER = 10;
  private static final byte P_VAR = 11;
  private static final byte P_WORD = 12;
  private static final byte P_BSTRING = 13;
  private static final byte P_ESTRING = 14;
  private static final byte P_NQSTRING = 15;
  private static final byte P_QSTRING = 16;
  private static final byte P_USTRING = 17;
  private static final byte P_XSTRING = 18;
  private static final byte P_BWORD = 19;
  private static final byte P_BACKSLASH = 20;
  private static final byte P_TICK = 21;

  private static final byte[] PARSERS = new byte[128];

  /** The chars that end a word (parse_word's strlencspn set; NUL is always in such a set). */
  private static final boolean[] WORD_END =
      charSet(" []{}<>:\\?=@!#~+-*/&|^%(),';\t\n\u000b\f\r\"\u00a0");
  /** The chars that end a variable name (parse_var's set). */
  private static final boolean[] VAR_END =
      charSet(" <>:\\?=@!#~+-*/&|^%(),';\t\n\u000b\f\r'`\"");
  /** C's strlenspn accept sets: NUL is accepted too, since strchr finds the terminator. */
  private static final boolean[] BINARY_DIGITS = charSet("01");
  private static final boolean[] HEX_DIGITS = charSet("0123456789ABCDEFabcdef");
  private static final boolean[] MONEY_CHARS = charSet("0123456789.,");
  private static final boolean[] LETTERS =
      charSet("abcdefghjiklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

  static {
    for (int c = 0; c <= 32; c++) {
      PARSERS[c] = P_WHITE;
    }
    PARSERS[127] = P_WHITE;
    for (int c = 'A'; c <= 'Z'; c++) {
      PARSERS[c] = P_WORD;
      PARSERS[c + 32] = P_WORD;
    }
    for (int c = '0'; c <= '9'; c++) {
      PARSERS[c] = P_NUMBER;
    }
    set(P_OPERATOR2, "!&*:<=>|");
    set(P_STRING, "\"'");
    set(P_HASH, "#");
    set(P_MONEY, "$");
    set(P_OPERATOR1, "%+^~");
    set(P_CHAR, "(),;{}");
    set(P_DASH, "-");
    set(P_NUMBER, ".");
    set(P_SLASH, "/");
    set(P_OTHER, "?]");
    set(P_VAR, "@");
    set(P_BSTRING, "Bb");
    set(P_ESTRING, "Ee");
    set(P_NQSTRING, "Nn");
    set(P_QSTRING, "Qq");
    set(P_USTRING, "Uu");
    set(P_XSTRING, "Xx");
    set(P_BWORD, "[");
    set(P_BACKSLASH, "\\");
    set(P_WORD, "_");
    set(P_TICK, "`");
  }

  private static void set(byte parser, String chars) {
    for (int i = 0; i < chars.length(); i++) {
      PARSERS[chars.charAt(i)] = parser;
    }
  }

  private static boolean[] charSet(String chars) {
    boolean[] set = new boolean[256];
    set[0] = true;
    for (int i = 0; i < chars.length(); i++) {
      set[chars.charAt(i)] = true;
    }
    return set;
  }

  String s;
  int slen;
  int flags;
  int pos;
  final SqliToken[] tokenvec = new SqliToken[8];
  SqliToken current;
  final char[] fingerprint = new char[8];
  int fingerprintLen;
  int statsCommentDdx;
  int statsCommentHash;
  int statsTokens;
  int statsFolds;
  /** Room for a merged phrase or the blacklist key, reused to avoid allocating per lookup. */
  final char[] scratch = new char[SqliToken.VALUE_SIZE];
  /** The fold's last comment, kept here so that a fold allocates nothing. */
  final SqliToken lastComment = new SqliToken();

  private final SqliKeywords keywords = SqliKeywords.get();

  /** {@code s} is a byte string: every char is in 0..255. */
  SqliTokenizer(String s, int flags) {
    this();
    input(s, flags);
  }

  /** A tokenizer without input yet, to be given one with {@link #input} (and reused so). */
  SqliTokenizer() {
    for (int i = 0; i < tokenvec.length; i++) {
      tokenvec[i] = new SqliToken();
    }
    this.s = "";
  }

  /** Starts over on {@code s}, a byte string, with {@code flags} (see {@link #reset}). */
  void input(String s, int flags) {
    this.s = s;
    this.slen = s.length();
    reset(flags);
  }

  /** Lets go of the input (a reused tokenizer must not keep a value alive); {@link #input} next. */
  void forget() {
    this.s = "";
    this.slen = 0;
  }

  /** libinjection_sqli_reset: back to the start of the input with these flags. */
  void reset(int flags) {
    this.flags = flags == 0 ? FLAG_QUOTE_NONE | FLAG_SQL_ANSI : flags;
    pos = 0;
    for (SqliToken t : tokenvec) {
      t.clear();
    }
    current = tokenvec[0];
    Arrays.fill(fingerprint, (char) 0);
    fingerprintLen = 0;
    statsCommentDdx = 0;
    statsCommentHash = 0;
    statsTokens = 0;
    statsFolds = 0;
  }

  String fingerprint() {
    return new String(fingerprint, 0, fingerprintLen);
  }

  char lookupWord(char[] word, int from, int len) {
    return keywords.lookup(word, from, len);
  }

  char lookupWord(CharSequence word, int from, int len) {
    return keywords.lookup(word, from, len);
  }

  /** The next token into {@link #current}; false when the input is exhausted. */
  boolean tokenize() {
    if (slen == 0) {
      return false;
    }
    current.clear();

    // At the start of the input in a quote context, pretend the input opened a string.
    if (pos == 0 && (flags & (FLAG_QUOTE_SINGLE | FLAG_QUOTE_DOUBLE)) != 0) {
      pos = parseStringCore(0, current, flag2delim(flags), 0);
      statsTokens++;
      return true;
    }

    while (pos < slen) {
      char ch = s.charAt(pos);
      byte parser = ch > 127 ? (ch == 160 ? P_WHITE : P_WORD) : PARSERS[ch];
      pos = parse(parser);
      if (current.type != TYPE_NONE) {
        statsTokens++;
        return true;
      }
    }
    return false;
  }

  private int parse(byte parser) {
    switch (parser) {
      case P_WHITE:
        return pos + 1;
      case P_OPERATOR2:
        return parseOperator2();
      case P_STRING:
        return parseString();
      case P_HASH:
        return parseHash();
      case P_MONEY:
        return parseMoney();
      case P_OPERATOR1:
        return parseOperator1();
      case P_CHAR:
        current.assignChar(s.charAt(pos), pos, s.charAt(pos));
        return pos + 1;
      case P_DASH:
        return parseDash();
      case P_NUMBER:
        return parseNumber();
      case P_SLASH:
        return parseSlash();
      case P_OTHER:
        current.assignChar(TYPE_UNKNOWN, pos, s.charAt(pos));
        return pos + 1;
      case P_VAR:
        return parseVar();
      case P_BSTRING:
        return parseBinaryOrHexString(BINARY_DIGITS);
      case P_ESTRING:
        return parseEString();
      case P_NQSTRING:
        return parseNQString();
      case P_QSTRING:
        return parseQStringCore(0);
      case P_USTRING:
        return parseUString();
      case P_XSTRING:
        return parseBinaryOrHexString(HEX_DIGITS);
      case P_BWORD:
        return parseBracketWord();
      case P_BACKSLASH:
        return parseBackslash();
      case P_TICK:
        return parseTick();
      case P_WORD:
      default:
        return parseWord();
    }
  }

  private static char flag2delim(int flags) {
    if ((flags & FLAG_QUOTE_SINGLE) != 0) {
      return CHAR_SINGLE;
    } else if ((flags & FLAG_QUOTE_DOUBLE) != 0) {
      return CHAR_DOUBLE;
    }
    return 0;
  }

  /** libinjection's char_is_white: space, \t \n \v \f \r, 0xA0 and NUL. */
  static boolean isWhite(char ch) {
    switch (ch) {
      case ' ':
      case '\t':
      case '\n':
      case 0x0b:
      case '\f':
      case '\r':
      case 0xa0:
      case 0:
        return true;
      default:
        return false;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean in(boolean[] set, char c) {
    return c < 256 && set[c];
  }

  /** C's strlenspn over {@code s[from, from+len)}. */
  private int spanOf(int from, int len, boolean[] accept) {
    for (int i = 0; i < len; i++) {
      if (!in(accept, s.charAt(from + i))) {
        return i;
      }
    }
    return len;
  }

  /** C's strlencspn over {@code s[from, from+len)}. */
  private int spanNotOf(int from, int len, boolean[] reject) {
    for (int i = 0; i < len; i++) {
      if (in(reject, s.charAt(from + i))) {
        return i;
      }
    }
    return len;
  }

  /** The first index of the pair {@code c0 c1} in {@code s[from, from+len)}, or -1 (memchr2). */
  private int indexOfPair(int from, int len, char c0, char c1) {
    if (len < 2) {
      return -1;
    }
    int last = from + len - 1;
    for (int cur = from; cur < last; cur++) {
      if (s.charAt(cur) == c0 && s.charAt(cur + 1) == c1) {
        return cur;
      }
    }
    return -1;
  }

  private int parseOperator1() {
    current.assignChar(TYPE_OPERATOR, pos, s.charAt(pos));
    return pos + 1;
  }

  private int parseEolComment() {
    int end = s.indexOf('\n', pos);
    if (end < 0) {
      current.assign(TYPE_COMMENT, pos, slen - pos, s, pos);
      return slen;
    }
    current.assign(TYPE_COMMENT, pos, end - pos, s, pos);
    return end + 1;
  }

  /** In ANSI mode {@code #} is an operator, in MySQL mode an end-of-line comment. */
  private int parseHash() {
    statsCommentHash++;
    if ((flags & FLAG_SQL_MYSQL) != 0) {
      statsCommentHash++;
      return parseEolComment();
    }
    current.assignChar(TYPE_OPERATOR, pos, '#');
    return pos + 1;
  }

  private int parseDash() {
    if (pos + 2 < slen && s.charAt(pos + 1) == '-' && isWhite(s.charAt(pos + 2))) {
      return parseEolComment();
    } else if (pos + 2 == slen && s.charAt(pos + 1) == '-') {
      return parseEolComment();
    } else if (pos + 1 < slen && s.charAt(pos + 1) == '-' && (flags & FLAG_SQL_ANSI) != 0) {
      // "--x": a comment for everyone but MySQL, for which it is two unary minuses.
      statsCommentDdx++;
      return parseEolComment();
    }
    current.assignChar(TYPE_OPERATOR, pos, '-');
    return pos + 1;
  }

  private int parseSlash() {
    int pos1 = pos + 1;
    if (pos1 == slen || s.charAt(pos1) != '*') {
      return parseOperator1();
    }
    int end = indexOfPair(pos + 2, slen - (pos + 2), '*', '/');
    int clen = end < 0 ? slen - pos : end + 2 - pos;
    char ctype = TYPE_COMMENT;
    // A nested "/*" (PostgreSQL nests comments) or a MySQL "/*!" comment cannot be parsed
    // consistently: both are evil. (With no closing "*/" the C code's nested check finds nothing.)
    if (end >= 0 && indexOfPair(pos + 2, end - (pos + 1), '/', '*') >= 0) {
      ctype = TYPE_EVIL;
    } else if (pos + 2 < slen && s.charAt(pos + 2) == '!') {
      ctype = TYPE_EVIL;
    }
    current.assign(ctype, pos, clen, s, pos);
    return pos + clen;
  }

  private int parseBackslash() {
    // MySQL's alias for NULL, "\N" (capital N only).
    if (pos + 1 < slen && s.charAt(pos + 1) == 'N') {
      current.assign(TYPE_NUMBER, pos, 2, s, pos);
      return pos + 2;
    }
    current.assignChar(TYPE_BACKSLASH, pos, s.charAt(pos));
    return pos + 1;
  }

  private int parseOperator2() {
    if (pos + 1 >= slen) {
      return parseOperator1();
    }
    if (pos + 2 < slen
        && s.charAt(pos) == '<'
        && s.charAt(pos + 1) == '='
        && s.charAt(pos + 2) == '>') {
      current.assign(TYPE_OPERATOR, pos, 3, s, pos);
      return pos + 3;
    }
    char ch = lookupWord(s, pos, 2);
    if (ch != TYPE_NONE) {
      current.assign(ch, pos, 2, s, pos);
      return pos + 2;
    }
    if (s.charAt(pos) == ':') {
      current.assign(TYPE_COLON, pos, 1, s, pos);
      return pos + 1;
    }
    return parseOperator1();
  }

  /** Whether the quote at {@code end + 1} is escaped by an odd run of backslashes. */
  private boolean isBackslashEscaped(int end, int start) {
    int p = end;
    while (p >= start && s.charAt(p) == '\\') {
      p--;
    }
    return ((end - p) & 1) == 1;
  }

  /**
   * A string from {@code pos + offset} to the next unescaped {@code delim} ('' doubles and
   * backslashes escape). {@code offset} is 1 when a real quote opened the string, 0 when the
   * context pretends one did.
   */
  private int parseStringCore(int pos, SqliToken st, char delim, int offset) {
    int start = pos + offset;
    int qpos = s.indexOf(delim, start);
    st.strOpen = offset > 0 ? delim : 0;
    while (true) {
      if (qpos < 0) {
        st.assign(TYPE_STRING, start, slen - start, s, start);
        st.strClose = 0;
        return slen;
      } else if (isBackslashEscaped(qpos - 1, start)) {
        qpos = s.indexOf(delim, qpos + 1);
      } else if (qpos + 1 < slen && s.charAt(qpos + 1) == s.charAt(qpos)) {
        qpos = s.indexOf(delim, qpos + 2);
      } else {
        st.assign(TYPE_STRING, start, qpos - start, s, start);
        st.strClose = delim;
        return qpos + 1;
      }
    }
  }

  private int parseString() {
    return parseStringCore(pos, current, s.charAt(pos), 1);
  }

  /** MySQL's N'...' or PostgreSQL's E'...': a string after one prefix char. */
  private int parseEString() {
    if (pos + 2 >= slen || s.charAt(pos + 1) != CHAR_SINGLE) {
      return parseWord();
    }
    return parseStringCore(pos, current, CHAR_SINGLE, 2);
  }

  /** U&'...' unicode strings. */
  private int parseUString() {
    if (pos + 2 < slen && s.charAt(pos + 1) == '&' && s.charAt(pos + 2) == '\'') {
      pos += 2;
      int next = parseString();
      current.strOpen = 'u';
      if (current.strClose == '\'') {
        current.strClose = 'u';
      }
      return next;
    }
    return parseWord();
  }

  /** Oracle's q'[...]' strings (and nq'...' with offset 1). */
  private int parseQStringCore(int offset) {
    int p = pos + offset;
    if (p >= slen
        || (s.charAt(p) != 'q' && s.charAt(p) != 'Q')
        || p + 2 >= slen
        || s.charAt(p + 1) != '\'') {
      return parseWord();
    }
    char ch = s.charAt(p + 2);
    // C compares a signed char: bytes over 127 are negative, hence "< 33".
    if (ch < 33 || ch > 127) {
      return parseWord();
    }
    switch (ch) {
      case '(':
        ch = ')';
        break;
      case '[':
        ch = ']';
        break;
      case '{':
        ch = '}';
        break;
      case '<':
        ch = '>';
        break;
      default:
        break;
    }
    int end = indexOfPair(p + 3, slen - p - 3, ch, '\'');
    if (end < 0) {
      current.assign(TYPE_STRING, p + 3, slen - p - 3, s, p + 3);
      current.strOpen = 'q';
      current.strClose = 0;
      return slen;
    }
    current.assign(TYPE_STRING, p + 3, end - p - 3, s, p + 3);
    current.strOpen = 'q';
    current.strClose = 'q';
    return end + 2;
  }

  private int parseNQString() {
    if (pos + 2 < slen && s.charAt(pos + 1) == CHAR_SINGLE) {
      return parseEString();
    }
    return parseQStringCore(1);
  }

  /** b'0101' and x'ABCD' literals. */
  private int parseBinaryOrHexString(boolean[] digits) {
    if (pos + 2 >= slen || s.charAt(pos + 1) != '\'') {
      return parseWord();
    }
    int wlen = spanOf(pos + 2, slen - pos - 2, digits);
    if (pos + 2 + wlen >= slen || s.charAt(pos + 2 + wlen) != '\'') {
      return parseWord();
    }
    current.assign(TYPE_NUMBER, pos, wlen + 3, s, pos);
    return pos + 2 + wlen + 1;
  }

  /** SQL Server's [bracketed names]. */
  private int parseBracketWord() {
    int end = s.indexOf(']', pos);
    if (end < 0) {
      current.assign(TYPE_BAREWORD, pos, slen - pos, s, pos);
      return slen;
    }
    current.assign(TYPE_BAREWORD, pos, end - pos + 1, s, pos);
    return end + 1;
  }

  private int parseWord() {
    int start = pos;
    int wlen = spanNotOf(start, slen - start, WORD_END);
    current.assign(TYPE_BAREWORD, start, wlen, s, start);

    // "SELECT.1" or "SELECT`col`": a keyword before a '.' or '`' is a token of its own.
    for (int i = 0; i < current.len; i++) {
      char delim = current.val[i];
      if (delim == '.' || delim == '`') {
        char ch = lookupWord(current.val, 0, i);
        if (ch != TYPE_NONE && ch != TYPE_BAREWORD) {
          current.clear();
          current.assign(ch, start, i, s, start);
          return start + i;
        }
      }
    }

    if (wlen < SqliToken.VALUE_SIZE) {
      char ch = lookupWord(current.val, 0, wlen);
      current.type = ch == TYPE_NONE ? TYPE_BAREWORD : ch;
    }
    return start + wlen;
  }

  /** MySQL `backticks`: a bare word, or a function when the name is one. */
  private int parseTick() {
    int next = parseStringCore(pos, current, CHAR_TICK, 1);
    char ch = lookupWord(current.val, 0, current.len);
    current.type = ch == TYPE_FUNCTION ? TYPE_FUNCTION : TYPE_BAREWORD;
    return next;
  }

  private int parseVar() {
    int p = pos + 1;
    if (p < slen && s.charAt(p) == '@') {
      p++;
      current.count = 2;
    } else {
      current.count = 1;
    }
    // MySQL allows @@`version` and @'name'.
    if (p < slen) {
      char ch = s.charAt(p);
      if (ch == '`') {
        pos = p;
        int next = parseTick();
        current.type = TYPE_VARIABLE;
        return next;
      } else if (ch == CHAR_SINGLE || ch == CHAR_DOUBLE) {
        pos = p;
        int next = parseString();
        current.type = TYPE_VARIABLE;
        return next;
      }
    }
    int xlen = spanNotOf(p, slen - p, VAR_END);
    current.assign(TYPE_VARIABLE, p, xlen, s, p);
    return p + xlen;
  }

  private int parseMoney() {
    if (pos + 1 == slen) {
      current.assignChar(TYPE_BAREWORD, pos, '$');
      return slen;
    }
    // $1,000.00 or $1.000,00
    int xlen = spanOf(pos + 1, slen - pos - 1, MONEY_CHARS);
    if (xlen == 0) {
      if (s.charAt(pos + 1) == '$') {
        // $$ ... $$ quoted string (PostgreSQL)
        int end = indexOfPair(pos + 2, slen - pos - 2, '$', '$');
        if (end < 0) {
          current.assign(TYPE_STRING, pos + 2, slen - (pos + 2), s, pos + 2);
          current.strOpen = '$';
          current.strClose = 0;
          return slen;
        }
        current.assign(TYPE_STRING, pos + 2, end - (pos + 2), s, pos + 2);
        current.strOpen = '$';
        current.strClose = '$';
        return end + 2;
      }
      // $tag$ ... $tag$ quoted string (PostgreSQL)
      xlen = spanOf(pos + 1, slen - pos - 1, LETTERS);
      if (xlen == 0) {
        current.assignChar(TYPE_BAREWORD, pos, '$');
        return pos + 1;
      }
      if (pos + xlen + 1 == slen || s.charAt(pos + xlen + 1) != '$') {
        current.assignChar(TYPE_BAREWORD, pos, '$');
        return pos + 1;
      }
      int end = findTagEnd(xlen);
      if (end < 0) {
        current.assign(TYPE_STRING, pos + xlen + 2, slen - pos - xlen - 2, s, pos + xlen + 2);
        current.strOpen = '$';
        current.strClose = 0;
        return slen;
      }
      current.assign(
          TYPE_STRING, pos + xlen + 2, end - (pos + xlen + 2), s, pos + xlen + 2);
      current.strOpen = '$';
      current.strClose = '$';
      return end + xlen + 2;
    } else if (xlen == 1 && s.charAt(pos + 1) == '.') {
      // "$." is a word
      return parseWord();
    }
    current.assign(TYPE_NUMBER, pos, 1 + xlen, s, pos);
    return pos + 1 + xlen;
  }

  /** Where the closing {@code $tag$} starts after the opening one, or -1. */
  private int findTagEnd(int xlen) {
    int from = pos + xlen + 2;
    int hlen = slen - (pos + xlen + 2);
    int nlen = xlen + 2;
    if (hlen < nlen) {
      return -1;
    }
    int last = from + hlen - nlen;
    for (int cur = from; cur <= last; cur++) {
      if (s.regionMatches(cur, s, pos, nlen)) {
        return cur;
      }
    }
    return -1;
  }

  private int parseNumber() {
    int p = pos;
    if (s.charAt(p) == '0' && p + 1 < slen) {
      char c1 = s.charAt(p + 1);
      boolean[] digits = null;
      if (c1 == 'X' || c1 == 'x') {
        digits = HEX_DIGITS;
      } else if (c1 == 'B' || c1 == 'b') {
        digits = BINARY_DIGITS;
      }
      if (digits != null) {
        int xlen = spanOf(p + 2, slen - p - 2, digits);
        if (xlen == 0) {
          current.assign(TYPE_BAREWORD, p, 2, s, p);
          return p + 2;
        }
        current.assign(TYPE_NUMBER, p, 2 + xlen, s, p);
        return p + 2 + xlen;
      }
    }

    int start = p;
    boolean haveE = false;
    boolean haveExp = false;
    while (p < slen && isDigit(s.charAt(p))) {
      p++;
    }
    if (p < slen && s.charAt(p) == '.') {
      p++;
      while (p < slen && isDigit(s.charAt(p))) {
        p++;
      }
      if (p - start == 1) {
        // only the '.' was read
        current.assignChar(TYPE_DOT, start, '.');
        return p;
      }
    }
    if (p < slen && (s.charAt(p) == 'E' || s.charAt(p) == 'e')) {
      haveE = true;
      p++;
      if (p < slen && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
        p++;
      }
      while (p < slen && isDigit(s.charAt(p))) {
        haveExp = true;
        p++;
      }
    }
    // Oracle's float/double suffixes: 1.2f, 1d; "1fUNION" parses as "1f UNION".
    if (p < slen) {
      char c = s.charAt(p);
      if (c == 'd' || c == 'D' || c == 'f' || c == 'F') {
        if (p + 1 == slen) {
          p++;
        } else {
          char next = s.charAt(p + 1);
          if (isWhite(next) || next == ';' || next == 'u' || next == 'U') {
            p++;
          }
        }
      }
    }
    if (haveE && !haveExp) {
      // "1234.e", "10.10E", "1e": a word, not a number
      current.assign(TYPE_BAREWORD, start, p - start, s, start);
    } else {
      current.assign(TYPE_NUMBER, start, p - start, s, start);
    }
    return p;
  }
}
