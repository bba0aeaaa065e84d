package dev.citizen.gateway.waf.libinjection;

/**
 * libinjection's HTML5 tokenizer ({@code libinjection_html5.c}): a simplified HTML5 state machine
 * that yields tag names, attribute names and values, comments and text. It can start inside an
 * attribute value (unquoted, single, double or back quoted) as well as in text, which is how the
 * XSS check sees a parameter that the application pastes into different places of a page.
 *
 * <p>Byte quirks of the C code are kept: NUL counts as white space between attributes and is
 * ignored in tag names, and byte 0xFF looks like end of input where the C code compares a signed
 * char with EOF (-1).
 */
final class Html5Tokenizer {
  /** Where the input is taken to start (libinjection's html5_flags). */
  static final int DATA_STATE = 0;
  static final int VALUE_NO_QUOTE = 1;
  static final int VALUE_SINGLE_QUOTE = 2;
  static final int VALUE_DOUBLE_QUOTE = 3;
  static final int VALUE_BACK_QUOTE = 4;

  // token types
  static final int DATA_TEXT = 0;
  static final int TAG_NAME_OPEN = 1;
  static final int TAG_NAME_CLOSE = 2;
  static final int TAG_NAME_SELFCLOSE = 3;
  static final int TAG_DATA = 4;
  static final int TAG_CLOSE = 5;
  static final int ATTR_NAME = 6;
  static final int ATTR_VALUE = 7;
  static final int TAG_COMMENT = 8;
  static final int DOCTYPE = 9;

  // states that the machine resumes in
  private static final int S_EOF = 0;
  private static final int S_DATA = 1;
  private static final int S_TAG_OPEN = 2;
  private static final int S_TAG_NAME_CLOSE = 3;
  private static final int S_BEFORE_ATTRIBUTE_NAME = 4;
  private static final int S_AFTER_ATTRIBUTE_NAME = 5;
  private static final int S_BEFORE_ATTRIBUTE_VALUE = 6;
  private static final int S_VALUE_DOUBLE_QUOTE = 7;
  private static final int S_VALUE_SINGLE_QUOTE = 8;
  private static final int S_VALUE_BACK_QUOTE = 9;
  private static final int S_AFTER_ATTRIBUTE_VALUE_QUOTED = 10;
  private static final int S_SELF_CLOSING_START_TAG = 11;

  private static final int CHAR_EOF = -1;

  final String s;
  final int len;
  private int pos;
  private boolean isClose;
  private int state;

  int tokenStart;
  int tokenLen;
  int tokenType;

  Html5Tokenizer(String s, int flags) {
    this.s = s;
    this.len = s.length();
    switch (flags) {
      case VALUE_NO_QUOTE:
        state = S_BEFORE_ATTRIBUTE_NAME;
        break;
      case VALUE_SINGLE_QUOTE:
        state = S_VALUE_SINGLE_QUOTE;
        break;
      case VALUE_DOUBLE_QUOTE:
        state = S_VALUE_DOUBLE_QUOTE;
        break;
      case VALUE_BACK_QUOTE:
        state = S_VALUE_BACK_QUOTE;
        break;
      case DATA_STATE:
      default:
        state = S_DATA;
        break;
    }
  }

  /** Reads the next token; false at the end of the input. */
  boolean next() {
    switch (state) {
      case S_DATA:
        return stateData();
      case S_TAG_OPEN:
        return stateTagOpen();
      case S_TAG_NAME_CLOSE:
        return stateTagNameClose();
      case S_BEFORE_ATTRIBUTE_NAME:
        return stateBeforeAttributeName();
      case S_AFTER_ATTRIBUTE_NAME:
        return stateAfterAttributeName();
      case S_BEFORE_ATTRIBUTE_VALUE:
        return stateBeforeAttributeValue();
      case S_VALUE_DOUBLE_QUOTE:
        return stateAttributeValueQuote('"');
      case S_VALUE_SINGLE_QUOTE:
        return stateAttributeValueQuote('\'');
      case S_VALUE_BACK_QUOTE:
        return stateAttributeValueQuote('`');
      case S_AFTER_ATTRIBUTE_VALUE_QUOTED:
        return stateAfterAttributeValueQuoted();
      case S_SELF_CLOSING_START_TAG:
        return stateSelfClosingStartTag();
      case S_EOF:
      default:
        return false;
    }
  }

  String tokenText() {
    return s.substring(tokenStart, tokenStart + tokenLen);
  }

  private void token(int type, int start, int length) {
    tokenType = type;
    tokenStart = start;
    tokenLen = length;
  }

  /** h5_is_white: the C strchr also finds the terminating NUL, so NUL is white too. */
  private static boolean isWhite(char ch) {
    switch (ch) {
      case ' ':
      case '\t':
      case '\n':
      case 0x0b:
      case '\f':
      case '\r':
      case 0:
        return true;
      default:
        return false;
    }
  }

  private static boolean isAsciiLetter(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
  }

  /**
   * Skips white space and returns the next char as C's signed char, or {@link #CHAR_EOF}: byte
   * 0xFF comes back as -1 and reads as end of input, as in libinjection.
   */
  private int skipWhite() {
    while (pos < len) {
      char ch = s.charAt(pos);
      switch (ch) {
        case 0x00:
        case 0x20:
        case 0x09:
        case 0x0A:
        case 0x0B:
        case 0x0C:
        case 0x0D:
          pos += 1;
          break;
        default:
          return ch >= 128 ? ch - 256 : ch;
      }
    }
    return CHAR_EOF;
  }

  private boolean stateData() {
    int idx = s.indexOf('<', pos);
    if (idx < 0) {
      token(DATA_TEXT, pos, len - pos);
      state = S_EOF;
      return tokenLen != 0;
    }
    token(DATA_TEXT, pos, idx - pos);
    pos = idx + 1;
    state = S_TAG_OPEN;
    if (tokenLen == 0) {
      return stateTagOpen();
    }
    return true;
  }

  private boolean stateTagOpen() {
    if (pos >= len) {
      return false;
    }
    char ch = s.charAt(pos);
    if (ch == '!') {
      pos += 1;
      return stateMarkupDeclarationOpen();
    } else if (ch == '/') {
      pos += 1;
      isClose = true;
      return stateEndTagOpen();
    } else if (ch == '?') {
      pos += 1;
      return stateBogusComment();
    } else if (ch == '%') {
      // not in the spec: an alternative comment of IE <= 9 and Safari < 4.0.3
      pos += 1;
      return stateBogusComment2();
    } else if (isAsciiLetter(ch) || ch == 0) {
      // IE ignores NULs in tag names
      return stateTagName();
    }
    if (pos == 0) {
      return stateData();
    }
    token(DATA_TEXT, pos - 1, 1);
    state = S_DATA;
    return true;
  }

  private boolean stateEndTagOpen() {
    if (pos >= len) {
      return false;
    }
    char ch = s.charAt(pos);
    if (ch == '>') {
      return stateData();
    } else if (isAsciiLetter(ch)) {
      return stateTagName();
    }
    isClose = false;
    return stateBogusComment();
  }

  private boolean stateTagNameClose() {
    isClose = false;
    token(TAG_NAME_CLOSE, pos, 1);
    pos += 1;
    state = pos < len ? S_DATA : S_EOF;
    return true;
  }

  private boolean stateTagName() {
    int p = pos;
    while (p < len) {
      char ch = s.charAt(p);
      if (ch == 0) {
        // non-standard: old browsers ignore NULs in tag names
        p += 1;
      } else if (isWhite(ch)) {
        token(TAG_NAME_OPEN, pos, p - pos);
        pos = p + 1;
        state = S_BEFORE_ATTRIBUTE_NAME;
        return true;
      } else if (ch == '/') {
        token(TAG_NAME_OPEN, pos, p - pos);
        pos = p + 1;
        state = S_SELF_CLOSING_START_TAG;
        return true;
      } else if (ch == '>') {
        if (isClose) {
          token(TAG_CLOSE, pos, p - pos);
          pos = p + 1;
          isClose = false;
          state = S_DATA;
        } else {
          token(TAG_NAME_OPEN, pos, p - pos);
          pos = p;
          state = S_TAG_NAME_CLOSE;
        }
        return true;
      } else {
        p += 1;
      }
    }
    token(TAG_NAME_OPEN, pos, len - pos);
    state = S_EOF;
    return true;
  }

  private boolean stateBeforeAttributeName() {
    int ch = skipWhite();
    switch (ch) {
      case CHAR_EOF:
        return false;
      case '/':
        pos += 1;
        return stateSelfClosingStartTag();
      case '>':
        state = S_DATA;
        token(TAG_NAME_CLOSE, pos, 1);
        pos += 1;
        return true;
      default:
        return stateAttributeName();
    }
  }

  private boolean stateAttributeName() {
    int p = pos + 1;
    while (p < len) {
      char ch = s.charAt(p);
      if (isWhite(ch)) {
        token(ATTR_NAME, pos, p - pos);
        state = S_AFTER_ATTRIBUTE_NAME;
        pos = p + 1;
        return true;
      } else if (ch == '/') {
        token(ATTR_NAME, pos, p - pos);
        state = S_SELF_CLOSING_START_TAG;
        pos = p + 1;
        return true;
      } else if (ch == '=') {
        token(ATTR_NAME, pos, p - pos);
        state = S_BEFORE_ATTRIBUTE_VALUE;
        pos = p + 1;
        return true;
      } else if (ch == '>') {
        token(ATTR_NAME, pos, p - pos);
        state = S_TAG_NAME_CLOSE;
        pos = p;
        return true;
      } else {
        p += 1;
      }
    }
    token(ATTR_NAME, pos, len - pos);
    state = S_EOF;
    pos = len;
    return true;
  }

  private boolean stateAfterAttributeName() {
    int c = skipWhite();
    switch (c) {
      case CHAR_EOF:
        return false;
      case '/':
        pos += 1;
        return stateSelfClosingStartTag();
      case '=':
        pos += 1;
        return stateBeforeAttributeValue();
      case '>':
        return stateTagNameClose();
      default:
        return stateAttributeName();
    }
  }

  private boolean stateBeforeAttributeValue() {
    int c = skipWhite();
    if (c == CHAR_EOF) {
      state = S_EOF;
      return false;
    }
    if (c == '"') {
      return stateAttributeValueQuote('"');
    } else if (c == '\'') {
      return stateAttributeValueQuote('\'');
    } else if (c == '`') {
      // non-standard, IE
      return stateAttributeValueQuote('`');
    }
    return stateAttributeValueNoQuote();
  }

  private boolean stateAttributeValueQuote(char qchar) {
    // Skip the opening quote, except at position 0: then the input started inside the value.
    if (pos > 0) {
      pos += 1;
    }
    int idx = pos >= len ? -1 : s.indexOf(qchar, pos);
    if (idx < 0) {
      token(ATTR_VALUE, pos, Math.max(0, len - pos));
      state = S_EOF;
    } else {
      token(ATTR_VALUE, pos, idx - pos);
      state = S_AFTER_ATTRIBUTE_VALUE_QUOTED;
      pos += tokenLen + 1;
    }
    return true;
  }

  private boolean stateAttributeValueNoQuote() {
    int p = pos;
    while (p < len) {
      char ch = s.charAt(p);
      if (isWhite(ch)) {
        token(ATTR_VALUE, pos, p - pos);
        pos = p + 1;
        state = S_BEFORE_ATTRIBUTE_NAME;
        return true;
      } else if (ch == '>') {
        token(ATTR_VALUE, pos, p - pos);
        pos = p;
        state = S_TAG_NAME_CLOSE;
        return true;
      }
      p += 1;
    }
    state = S_EOF;
    token(ATTR_VALUE, pos, len - pos);
    return true;
  }

  private boolean stateAfterAttributeValueQuoted() {
    if (pos >= len) {
      return false;
    }
    char ch = s.charAt(pos);
    if (isWhite(ch)) {
      pos += 1;
      return stateBeforeAttributeName();
    } else if (ch == '/') {
      pos += 1;
      return stateSelfClosingStartTag();
    } else if (ch == '>') {
      token(TAG_NAME_CLOSE, pos, 1);
      pos += 1;
      state = S_DATA;
      return true;
    }
    return stateBeforeAttributeName();
  }

  private boolean stateSelfClosingStartTag() {
    if (pos >= len) {
      return false;
    }
    char ch = s.charAt(pos);
    if (ch == '>') {
      token(TAG_NAME_SELFCLOSE, pos - 1, 2);
      state = S_DATA;
      pos += 1;
      return true;
    }
    return stateBeforeAttributeName();
  }

  private boolean stateBogusComment() {
    int idx = s.indexOf('>', pos);
    if (idx < 0) {
      token(TAG_COMMENT, pos, len - pos);
      pos = len;
      state = S_EOF;
    } else {
      token(TAG_COMMENT, pos, idx - pos);
      pos = idx + 1;
      state = S_DATA;
    }
    return true;
  }

  /** Comments ending in "%>". */
  private boolean stateBogusComment2() {
    int p = pos;
    while (true) {
      int idx = s.indexOf('%', p);
      if (idx < 0 || idx + 1 >= len) {
        token(TAG_COMMENT, pos, len - pos);
        pos = len;
        state = S_EOF;
        return true;
      }
      if (s.charAt(idx + 1) != '>') {
        p = idx + 1;
        continue;
      }
      token(TAG_COMMENT, pos, idx - pos);
      pos = idx + 2;
      state = S_DATA;
      return true;
    }
  }

  private boolean stateMarkupDeclarationOpen() {
    int remaining = len - pos;
    if (remaining >= 7 && s.regionMatches(true, pos, "DOCTYPE", 0, 7) && asciiOnly(pos, 7)) {
      return stateDoctype();
    } else if (remaining >= 7 && s.startsWith("[CDATA[", pos)) {
      pos += 7;
      return stateCdata();
    } else if (remaining >= 2 && s.charAt(pos) == '-' && s.charAt(pos + 1) == '-') {
      pos += 2;
      return stateComment();
    }
    return stateBogusComment();
  }

  /** regionMatches(ignoreCase) also folds non-ASCII letters; the C code compares ASCII only. */
  private boolean asciiOnly(int from, int n) {
    for (int i = from; i < from + n; i++) {
      if (s.charAt(i) > 127) {
        return false;
      }
    }
    return true;
  }

  /** Comments end at EOF, "-->" or "-!>" (NULs after the first dash are skipped). */
  private boolean stateComment() {
    int p = pos;
    while (true) {
      int idx = s.indexOf('-', p);
      if (idx < 0 || idx > len - 3) {
        state = S_EOF;
        token(TAG_COMMENT, pos, len - pos);
        return true;
      }
      int offset = 1;
      while (idx + offset < len && s.charAt(idx + offset) == 0) {
        offset += 1;
      }
      if (idx + offset == len) {
        state = S_EOF;
        token(TAG_COMMENT, pos, len - pos);
        return true;
      }
      char ch = s.charAt(idx + offset);
      if (ch != '-' && ch != '!') {
        p = idx + 1;
        continue;
      }
      offset += 1;
      if (idx + offset == len) {
        state = S_EOF;
        token(TAG_COMMENT, pos, len - pos);
        return true;
      }
      ch = s.charAt(idx + offset);
      if (ch != '>') {
        p = idx + 1;
        continue;
      }
      offset += 1;
      token(TAG_COMMENT, pos, idx - pos);
      pos = idx + offset;
      state = S_DATA;
      return true;
    }
  }

  private boolean stateCdata() {
    int p = pos;
    while (true) {
      int idx = p >= len ? -1 : s.indexOf(']', p);
      if (idx < 0 || idx > len - 3) {
        state = S_EOF;
        token(DATA_TEXT, pos, len - pos);
        return true;
      } else if (s.charAt(idx + 1) == ']' && s.charAt(idx + 2) == '>') {
        state = S_DATA;
        token(DATA_TEXT, pos, idx - pos);
        pos = idx + 3;
        return true;
      } else {
        p = idx + 1;
      }
    }
  }

  private boolean stateDoctype() {
    int idx = s.indexOf('>', pos);
    if (idx < 0) {
      state = S_EOF;
      token(DOCTYPE, pos, len - pos);
    } else {
      state = S_DATA;
      token(DOCTYPE, pos, idx - pos);
      pos = idx + 1;
    }
    return true;
  }
}
