package dev.citizen.gateway.waf.libinjection;

/**
 * libinjection's XSS check ({@code libinjection_xss.c}, version 3.9.2 as ModSecurity 3.0 ships
 * it): runs the HTML5 tokenizer over the input and flags dangerous tags (script, iframe, svg,
 * ...), event-handler attributes (any {@code on*} name of five or more chars), style attributes,
 * {@code javascript:}/{@code vbscript:}/{@code data:}/{@code view-source:} URLs in URL-valued
 * attributes, doctypes and IE conditional or import comments.
 */
final class XssDetector {
  private XssDetector() {}

  private static final int ATTR_NONE = 0;
  private static final int ATTR_BLACK = 1;
  private static final int ATTR_URL = 2;
  private static final int ATTR_STYLE = 3;
  private static final int ATTR_INDIRECT = 4;

  private static final String[] BLACK_TAGS = {
    "APPLET", "BASE", "COMMENT", "EMBED", "FRAME", "FRAMESET", "HANDLER", "IFRAME", "IMPORT",
    "ISINDEX", "LINK", "LISTENER", "META", "NOSCRIPT", "OBJECT", "SCRIPT", "STYLE", "VMLFRAME",
    "XML", "XSS"
  };

  private static final String[] BLACK_ATTRS = {
    "ACTION", "ATTRIBUTENAME", "BY", "BACKGROUND", "DATAFORMATAS", "DATASRC", "DYNSRC", "FILTER",
    "FORMACTION", "FOLDER", "FROM", "HANDLER", "HREF", "LOWSRC", "POSTER", "SRC", "STYLE", "TO",
    "VALUES", "XLINK:HREF"
  };

  private static final int[] BLACK_ATTR_TYPES = {
    ATTR_URL, ATTR_INDIRECT, ATTR_URL, ATTR_URL, ATTR_BLACK, ATTR_BLACK, ATTR_URL, ATTR_STYLE,
    ATTR_URL, ATTR_URL, ATTR_URL, ATTR_URL, ATTR_URL, ATTR_URL, ATTR_URL, ATTR_URL, ATTR_STYLE,
    ATTR_URL, ATTR_URL, ATTR_URL
  };

  private static final String[] BLACK_URL_PREFIXES = {"DATA", "VIEW-SOURCE", "JAVA", "VBSCRIPT"};

  /** libinjection_xss: XSS in any of the five starting contexts. */
  static boolean isXss(String s) {
    // Every way below to say yes needs a '<' (tag, doctype, comment) or an '=' (an attribute's
    // value after its name): most values have neither, and five tokenizer runs cost ~200 ns.
    // XssShortcutTest checks this against the tokenizer in all five contexts.
    if (s.indexOf('<') < 0 && s.indexOf('=') < 0) {
      return false;
    }
    return isXss(s, Html5Tokenizer.DATA_STATE)
        || isXss(s, Html5Tokenizer.VALUE_NO_QUOTE)
        || isXss(s, Html5Tokenizer.VALUE_SINGLE_QUOTE)
        || isXss(s, Html5Tokenizer.VALUE_DOUBLE_QUOTE)
        || isXss(s, Html5Tokenizer.VALUE_BACK_QUOTE);
  }

  /** libinjection_is_xss: XSS when the input is read from the given context. */
  static boolean isXss(String s, int context) {
    Html5Tokenizer h5 = new Html5Tokenizer(s, context);
    int attr = ATTR_NONE;
    while (h5.next()) {
      int start = h5.tokenStart;
      int len = h5.tokenLen;
      if (h5.tokenType != Html5Tokenizer.ATTR_VALUE) {
        attr = ATTR_NONE;
      }
      switch (h5.tokenType) {
        case Html5Tokenizer.DOCTYPE:
          return true;
        case Html5Tokenizer.TAG_NAME_OPEN:
          if (isBlackTag(s, start, len)) {
            return true;
          }
          break;
        case Html5Tokenizer.ATTR_NAME:
          attr = blackAttr(s, start, len);
          break;
        case Html5Tokenizer.ATTR_VALUE:
          switch (attr) {
            case ATTR_BLACK:
            case ATTR_STYLE:
              return true;
            case ATTR_URL:
              if (isBlackUrl(s, start, len)) {
                return true;
              }
              break;
            case ATTR_INDIRECT:
              // an attribute name given in a value (SVG's attributeName)
              if (blackAttr(s, start, len) != ATTR_NONE) {
                return true;
              }
              break;
            default:
              break;
          }
          attr = ATTR_NONE;
          break;
        case Html5Tokenizer.TAG_COMMENT:
          if (isDangerousComment(s, start, len)) {
            return true;
          }
          break;
        default:
          break;
      }
    }
    return false;
  }

  private static boolean isDangerousComment(String s, int start, int len) {
    // IE takes "`" as a tag end
    int tick = s.indexOf('`', start);
    if (tick >= 0 && tick < start + len) {
      return true;
    }
    if (len > 3) {
      char c0 = s.charAt(start);
      char c1 = s.charAt(start + 1);
      char c2 = s.charAt(start + 2);
      // IE conditional comment
      if (c0 == '[' && (c1 == 'i' || c1 == 'I') && (c2 == 'f' || c2 == 'F')) {
        return true;
      }
      if ((c0 == 'x' || c0 == 'X') && (c1 == 'm' || c1 == 'M') && (c2 == 'l' || c2 == 'L')) {
        return true;
      }
    }
    if (len > 5) {
      // IE's <?import pseudo-tag, XML entity definitions
      if (equalsIgnoringNul("IMPORT", s, start, 6) || equalsIgnoringNul("ENTITY", s, start, 6)) {
        return true;
      }
    }
    return false;
  }

  /**
   * C's cstrcasecmp_with_null(upper, s, n) == 0: {@code s[start, start+n)} with NULs removed and
   * a-z upper-cased equals {@code upper}.
   */
  private static boolean equalsIgnoringNul(String upper, String s, int start, int n) {
    int a = 0;
    for (int i = start; i < start + n; i++) {
      char cb = s.charAt(i);
      if (cb == 0) {
        continue;
      }
      if (a >= upper.length() || upper.charAt(a) != SqliKeywords.upper(cb)) {
        return false;
      }
      a++;
    }
    return a == upper.length();
  }

  private static boolean isBlackTag(String s, int start, int len) {
    if (len < 3) {
      return false;
    }
    for (String black : BLACK_TAGS) {
      if (equalsIgnoringNul(black, s, start, len)) {
        return true;
      }
    }
    char c0 = s.charAt(start);
    char c1 = s.charAt(start + 1);
    char c2 = s.charAt(start + 2);
    // anything SVG or XSL(T)
    if ((c0 == 's' || c0 == 'S') && (c1 == 'v' || c1 == 'V') && (c2 == 'g' || c2 == 'G')) {
      return true;
    }
    return (c0 == 'x' || c0 == 'X') && (c1 == 's' || c1 == 'S') && (c2 == 'l' || c2 == 'L');
  }

  private static int blackAttr(String s, int start, int len) {
    if (len < 2) {
      return ATTR_NONE;
    }
    if (len >= 5) {
      char c0 = s.charAt(start);
      char c1 = s.charAt(start + 1);
      // JavaScript on* event handlers
      if ((c0 == 'o' || c0 == 'O') && (c1 == 'n' || c1 == 'N')) {
        return ATTR_BLACK;
      }
      // XMLNS and XLINK can create arbitrary tags
      if (equalsIgnoringNul("XMLNS", s, start, 5) || equalsIgnoringNul("XLINK", s, start, 5)) {
        return ATTR_BLACK;
      }
    }
    for (int i = 0; i < BLACK_ATTRS.length; i++) {
      if (equalsIgnoringNul(BLACK_ATTRS[i], s, start, len)) {
        return BLACK_ATTR_TYPES[i];
      }
    }
    return ATTR_NONE;
  }

  private static boolean isBlackUrl(String s, int start, int len) {
    // Skip leading white space, controls and (as C's signed char does) every byte over 126.
    while (len > 0 && (s.charAt(start) <= 32 || s.charAt(start) >= 127)) {
      start++;
      len--;
    }
    for (String prefix : BLACK_URL_PREFIXES) {
      if (htmlDecodedStartsWith(prefix, s, start, len)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the HTML-entity-decoded {@code s[start, start+n)} starts with {@code upper}, ignoring
   * case, leading white space and controls, NULs and newlines (htmlencode_startswith).
   */
  private static boolean htmlDecodedStartsWith(String upper, String s, int start, int n) {
    int a = 0;
    int b = start;
    boolean first = true;
    int[] consumed = new int[1];
    while (n > 0) {
      if (a == upper.length()) {
        return true;
      }
      int cb = decodeCharAt(s, b, n, consumed);
      int used = consumed[0];
      b += used;
      n -= used;
      if (first && cb <= 32) {
        continue;
      }
      first = false;
      if (cb == 0 || cb == 10) {
        continue;
      }
      if (cb >= 'a' && cb <= 'z') {
        cb -= 0x20;
      }
      // C compares with (char) cb: only the low byte counts
      if (upper.charAt(a) != (cb & 0xFF)) {
        return false;
      }
      a++;
    }
    return a == upper.length();
  }

  private static int hexValue(int ch) {
    if (ch >= '0' && ch <= '9') {
      return ch - '0';
    } else if (ch >= 'a' && ch <= 'f') {
      return ch - 'a' + 10;
    } else if (ch >= 'A' && ch <= 'F') {
      return ch - 'A' + 10;
    }
    return 256;
  }

  /** C reads the input's bytes past the token (and the terminating NUL): so does this. */
  private static int byteAt(String s, int i) {
    return i < s.length() ? s.charAt(i) & 0xFF : 0;
  }

  /**
   * html_decode_char_at: the char at {@code src} with a numeric entity ({@code &#65;}, {@code
   * &#x41;}) decoded; named entities are not decoded. Sets {@code consumed[0]}.
   */
  private static int decodeCharAt(String s, int src, int len, int[] consumed) {
    consumed[0] = 1;
    int first = byteAt(s, src);
    if (first != '&' || len < 2) {
      return first;
    }
    if (byteAt(s, src + 1) != '#') {
      return '&';
    }
    int x = byteAt(s, src + 2);
    if (x == 'x' || x == 'X') {
      int ch = hexValue(byteAt(s, src + 3));
      if (ch == 256) {
        return '&';
      }
      int val = ch;
      int i = 4;
      while (i < len) {
        ch = byteAt(s, src + i);
        if (ch == ';') {
          consumed[0] = i + 1;
          return val;
        }
        ch = hexValue(ch);
        if (ch == 256) {
          consumed[0] = i;
          return val;
        }
        val = val * 16 + ch;
        if (val > 0x1000FF) {
          return '&';
        }
        i++;
      }
      consumed[0] = Math.min(i, len);
      return val;
    }
    int ch = x;
    if (ch < '0' || ch > '9') {
      return '&';
    }
    int val = ch - '0';
    int i = 3;
    while (i < len) {
      ch = byteAt(s, src + i);
      if (ch == ';') {
        consumed[0] = i + 1;
        return val;
      }
      if (ch < '0' || ch > '9') {
        consumed[0] = i;
        return val;
      }
      val = val * 10 + (ch - '0');
      if (val > 0x1000FF) {
        return '&';
      }
      i++;
    }
    consumed[0] = Math.min(i, len);
    return val;
  }
}
