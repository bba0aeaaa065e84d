package dev.citizen.gateway.waf.libinjection;

import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.FLAG_QUOTE_DOUBLE;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.FLAG_QUOTE_NONE;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.FLAG_QUOTE_SINGLE;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.FLAG_SQL_ANSI;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.FLAG_SQL_MYSQL;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.MAX_TOKENS;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_BACKSLASH;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_BAREWORD;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_COLLATE;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_COMMA;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_COMMENT;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_DOT;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_EVIL;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_EXPRESSION;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_FINGERPRINT;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_FUNCTION;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_GROUP;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_KEYWORD;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_LEFTBRACE;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_LEFTPARENS;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_LOGIC_OPERATOR;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_NONE;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_NUMBER;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_OPERATOR;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_RIGHTBRACE;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_RIGHTPARENS;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_SEMICOLON;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_SQLTYPE;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_STRING;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_TSQL;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_UNION;
import static dev.citizen.gateway.waf.libinjection.SqliTokenizer.TYPE_VARIABLE;

/**
 * libinjection's SQLi decision: fold the token stream into at most five tokens
 * ({@code libinjection_sqli_fold}), make the fingerprint, look it up in the blacklist and drop the
 * known false positives ({@code libinjection_sqli_not_whitelist}); {@link #isSqli} tries the input
 * as is, then as if it followed a single quote, then a double quote, as {@code
 * libinjection_is_sqli} does.
 */
final class SqliDetector {
  private SqliDetector() {}

  /** libinjection_is_sqli. On true, the tokenizer's fingerprint is the matching one. */
  static boolean isSqli(SqliTokenizer st) {
    String s = st.s;
    if (st.slen == 0) {
      return false;
    }
    fingerprint(st, FLAG_QUOTE_NONE | FLAG_SQL_ANSI);
    if (checkFingerprint(st)) {
      return true;
    } else if (reparseAsMysql(st)) {
      fingerprint(st, FLAG_QUOTE_NONE | FLAG_SQL_MYSQL);
      if (checkFingerprint(st)) {
        return true;
      }
    }

    // "1' = 1" might be the tail of "'1' = 1".
    if (s.indexOf('\'') >= 0) {
      fingerprint(st, FLAG_QUOTE_SINGLE | FLAG_SQL_ANSI);
      if (checkFingerprint(st)) {
        return true;
      } else if (reparseAsMysql(st)) {
        fingerprint(st, FLAG_QUOTE_SINGLE | FLAG_SQL_MYSQL);
        if (checkFingerprint(st)) {
          return true;
        }
      }
    }

    if (s.indexOf('"') >= 0) {
      fingerprint(st, FLAG_QUOTE_DOUBLE | FLAG_SQL_MYSQL);
      if (checkFingerprint(st)) {
        return true;
      }
    }
    return false;
  }

  private static boolean reparseAsMysql(SqliTokenizer st) {
    return st.statsCommentDdx != 0 || st.statsCommentHash != 0;
  }

  static boolean checkFingerprint(SqliTokenizer st) {
    return blacklisted(st) && notWhitelisted(st);
  }

  /** libinjection_sqli_fingerprint: reset, fold, and write the token types. */
  static String fingerprint(SqliTokenizer st, int flags) {
    st.reset(flags);
    int tlen = fold(st);

    // PHP's magic backquote comment: a trailing empty, unclosed `` is a comment.
    if (tlen > 2) {
      SqliToken last = st.tokenvec[tlen - 1];
      if (last.type == TYPE_BAREWORD
          && last.strOpen == '`'
          && last.len == 0
          && last.strClose == 0) {
        last.type = TYPE_COMMENT;
      }
    }

    boolean evil = false;
    for (int i = 0; i < tlen; i++) {
      st.fingerprint[i] = st.tokenvec[i].type;
      evil |= st.tokenvec[i].type == TYPE_EVIL;
    }
    st.fingerprint[tlen] = 0;
    st.fingerprintLen = tlen;

    // Unparsable input (nested or MySQL comments, ...): the fingerprint is just "X".
    if (evil) {
      java.util.Arrays.fill(st.fingerprint, (char) 0);
      st.fingerprint[0] = TYPE_EVIL;
      st.fingerprintLen = 1;
      st.tokenvec[0].type = TYPE_EVIL;
      st.tokenvec[0].valueChar(TYPE_EVIL);
      st.tokenvec[1].type = TYPE_NONE;
    }
    return st.fingerprint();
  }

  /** The fingerprint, prefixed with '0' and upper-cased, is in the table with type F. */
  static boolean blacklisted(SqliTokenizer st) {
    int len = st.fingerprintLen;
    if (len < 1) {
      return false;
    }
    char[] fp2 = st.scratch;
    fp2[0] = '0';
    for (int i = 0; i < len; i++) {
      fp2[i + 1] = SqliKeywords.upper(st.fingerprint[i]);
    }
    return st.lookupWord(fp2, 0, len + 1) == TYPE_FINGERPRINT;
  }

  /** libinjection_sqli_not_whitelist: true when a blacklisted fingerprint is still SQLi. */
  static boolean notWhitelisted(SqliTokenizer st) {
    int tlen = st.fingerprintLen;
    char[] fp = st.fingerprint;
    SqliToken[] tv = st.tokenvec;

    // SQL Server's audit log hides statements with "sp_password" in them.
    if (tlen > 1 && fp[tlen - 1] == TYPE_COMMENT && st.s.contains("sp_password")) {
      return true;
    }

    switch (tlen) {
      case 2:
        {
          if (fp[1] == TYPE_UNION) {
            // "1 union" alone is common; only with folding or comments is it SQLi.
            return st.statsTokens != 2;
          }
          // a trailing '#' comment: too many false positives
          if (tv[1].val[0] == '#') {
            return false;
          }
          // "nc": only /* comments */ count, not "--" or "#"
          if (tv[0].type == TYPE_BAREWORD
              && tv[1].type == TYPE_COMMENT
              && tv[1].val[0] != '/') {
            return false;
          }
          if (tv[0].type == TYPE_NUMBER && tv[1].type == TYPE_COMMENT && tv[1].val[0] == '/') {
            return true;
          }
          // "1c": base64-looking values like 1234-ABCD-- are not SQLi, but "1234 --" is.
          if (tv[0].type == TYPE_NUMBER && tv[1].type == TYPE_COMMENT) {
            if (st.statsTokens > 2) {
              return true;
            }
            char ch = charAtOrNul(st, tv[0].len);
            // C compares a signed char: bytes over 127 count as "<= 32".
            if (ch <= 32 || ch > 127) {
              return true;
            }
            if (ch == '/' && charAtOrNul(st, tv[0].len + 1) == '*') {
              return true;
            }
            if (ch == '-' && charAtOrNul(st, tv[0].len + 1) == '-') {
              return true;
            }
            return false;
          }
          // "1-- foo": many write "--" in plain text; only a trailing "--" is a scan.
          if (tv[1].len > 2 && tv[1].val[0] == '-') {
            return false;
          }
          break;
        }
      case 3:
        {
          if (fingerprintIs(fp, tlen, "sos") || fingerprintIs(fp, tlen, "s&s")) {
            // ...foo' + 'bar...: no opening quote, no closing quote
            return tv[0].strOpen == 0
                && tv[2].strClose == 0
                && tv[0].strClose == tv[2].strOpen;
          } else if (fingerprintIs(fp, tlen, "s&n")
              || fingerprintIs(fp, tlen, "n&1")
              || fingerprintIs(fp, tlen, "1&1")
              || fingerprintIs(fp, tlen, "1&v")
              || fingerprintIs(fp, tlen, "1&s")) {
            // 'sexy and 17' is not SQLi, 'sexy and 17<18' is
            if (st.statsTokens == 3) {
              return false;
            }
          } else if (tv[1].type == TYPE_KEYWORD) {
            // only "INTO OUTFILE" / "INTO DUMPFILE" (MySQL) is SQLi
            if (tv[1].len < 5 || !startsWithUpper(tv[1], "INTO")) {
              return false;
            }
          }
          break;
        }
      default:
        break;
    }
    return true;
  }

  private static char charAtOrNul(SqliTokenizer st, int i) {
    return i < st.slen ? st.s.charAt(i) : 0;
  }

  private static boolean fingerprintIs(char[] fp, int len, String expected) {
    if (len != expected.length()) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (fp[i] != expected.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWithUpper(SqliToken t, String upper) {
    for (int i = 0; i < upper.length(); i++) {
      if (SqliKeywords.upper(t.val[i]) != upper.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Merges two words into a known phrase ("UNION" + "ALL" = "UNION ALL"), into {@code a}; C's
   * syntax_merge_words.
   */
  private static boolean mergeWords(SqliTokenizer st, SqliToken a, SqliToken b) {
    if (!(a.type == TYPE_KEYWORD
        || a.type == TYPE_BAREWORD
        || a.type == TYPE_OPERATOR
        || a.type == TYPE_UNION
        || a.type == TYPE_FUNCTION
        || a.type == TYPE_EXPRESSION
        || a.type == TYPE_TSQL
        || a.type == TYPE_SQLTYPE)) {
      return false;
    }
    if (b.type != TYPE_KEYWORD
        && b.type != TYPE_BAREWORD
        && b.type != TYPE_OPERATOR
        && b.type != TYPE_SQLTYPE
        && b.type != TYPE_LOGIC_OPERATOR
        && b.type != TYPE_FUNCTION
        && b.type != TYPE_UNION
        && b.type != TYPE_EXPRESSION
        && b.type != TYPE_TSQL) {
      return false;
    }
    int sz1 = a.len;
    int sz2 = b.len;
    int sz3 = sz1 + sz2 + 1;
    if (sz3 >= SqliToken.VALUE_SIZE) {
      return false;
    }
    char[] tmp = st.scratch;
    System.arraycopy(a.val, 0, tmp, 0, sz1);
    tmp[sz1] = ' ';
    System.arraycopy(b.val, 0, tmp, sz1 + 1, sz2);
    char ch = st.lookupWord(tmp, 0, sz3);
    if (ch != TYPE_NONE) {
      a.assign(ch, a.pos, sz3, tmp);
      return true;
    }
    return false;
  }

  private static boolean isTsqlFunctionName(SqliToken t) {
    return t.valueIs("USER_ID")
        || t.valueIs("USER_NAME")
        || t.valueIs("DATABASE")
        || t.valueIs("PASSWORD")
        || t.valueIs("USER")
        || t.valueIs("CURRENT_USER")
        || t.valueIs("CURRENT_DATE")
        || t.valueIs("CURRENT_TIME")
        || t.valueIs("CURRENT_TIMESTAMP")
        || t.valueIs("LOCALTIME")
        || t.valueIs("LOCALTIMESTAMP");
  }

  /**
   * libinjection_sqli_fold: tokenizes the input and folds it into at most {@link
   * SqliTokenizer#MAX_TOKENS} tokens in {@code tokenvec}; returns how many.
   */
  static int fold(SqliTokenizer st) {
    SqliToken[] tv = st.tokenvec;
    SqliToken lastComment = st.lastComment;
    lastComment.clear();
    int pos = 0;
    int left = 0;
    boolean more = true;

    // Skip all initial comments, left parens, SQL types and unary operators.
    st.current = tv[0];
    while (more) {
      more = st.tokenize();
      if (!(st.current.type == TYPE_COMMENT
          || st.current.type == TYPE_LEFTPARENS
          || st.current.type == TYPE_SQLTYPE
          || st.current.isUnaryOp())) {
        break;
      }
    }
    if (!more) {
      return 0;
    }
    pos += 1;

    while (true) {
      // With all five tokens, a few patterns fold further.
      if (pos >= MAX_TOKENS) {
        if ((tv[0].type == TYPE_NUMBER
                && (tv[1].type == TYPE_OPERATOR || tv[1].type == TYPE_COMMA)
                && tv[2].type == TYPE_LEFTPARENS
                && tv[3].type == TYPE_NUMBER
                && tv[4].type == TYPE_RIGHTPARENS)
            || (tv[0].type == TYPE_BAREWORD
                && tv[1].type == TYPE_OPERATOR
                && tv[2].type == TYPE_LEFTPARENS
                && (tv[3].type == TYPE_BAREWORD || tv[3].type == TYPE_NUMBER)
                && tv[4].type == TYPE_RIGHTPARENS)
            || (tv[0].type == TYPE_NUMBER
                && tv[1].type == TYPE_RIGHTPARENS
                && tv[2].type == TYPE_COMMA
                && tv[3].type == TYPE_LEFTPARENS
                && tv[4].type == TYPE_NUMBER)
            || (tv[0].type == TYPE_BAREWORD
                && tv[1].type == TYPE_RIGHTPARENS
                && tv[2].type == TYPE_OPERATOR
                && tv[3].type == TYPE_LEFTPARENS
                && tv[4].type == TYPE_BAREWORD)) {
          if (pos > MAX_TOKENS) {
            tv[1].copyFrom(tv[MAX_TOKENS]);
            pos = 2;
            left = 0;
          } else {
            pos = 1;
            left = 0;
          }
        }
      }

      if (!more || left >= MAX_TOKENS) {
        left = pos;
        break;
      }

      // get up to two tokens
      while (more && pos <= MAX_TOKENS && (pos - left) < 2) {
        st.current = tv[pos];
        more = st.tokenize();
        if (more) {
          if (st.current.type == TYPE_COMMENT) {
            lastComment.copyFrom(st.current);
          } else {
            lastComment.type = TYPE_NONE;
            pos += 1;
          }
        }
      }
      if (pos - left < 2) {
        left = pos;
        continue;
      }

      SqliToken a = tv[left];
      SqliToken b = tv[left + 1];
      if (a.type == TYPE_STRING && b.type == TYPE_STRING) {
        // "foo" "bar" is valid SQL: keep the first string
        pos -= 1;
        st.statsFolds += 1;
        continue;
      } else if (a.type == TYPE_SEMICOLON && b.type == TYPE_SEMICOLON) {
        // repeated semicolons fold away
        pos -= 1;
        st.statsFolds += 1;
        continue;
      } else if ((a.type == TYPE_OPERATOR || a.type == TYPE_LOGIC_OPERATOR)
          && (b.isUnaryOp() || b.type == TYPE_SQLTYPE)) {
        pos -= 1;
        st.statsFolds += 1;
        left = 0;
        continue;
      } else if (a.type == TYPE_LEFTPARENS && b.isUnaryOp()) {
        pos -= 1;
        st.statsFolds += 1;
        if (left > 0) {
          left -= 1;
        }
        continue;
      } else if (mergeWords(st, a, b)) {
        pos -= 1;
        st.statsFolds += 1;
        if (left > 0) {
          left -= 1;
        }
        continue;
      } else if (a.type == TYPE_SEMICOLON
          && b.type == TYPE_FUNCTION
          && (b.val[0] == 'I' || b.val[0] == 'i')
          && (b.val[1] == 'F' || b.val[1] == 'f')) {
        // "; IF 1=1": Transact-SQL's control-flow IF (3.9.2 tests only the first two letters)
        b.type = TYPE_TSQL;
        continue;
      } else if ((a.type == TYPE_BAREWORD || a.type == TYPE_VARIABLE)
          && b.type == TYPE_LEFTPARENS
          && isTsqlFunctionName(a)) {
        // common column names that are also functions when followed by '('
        a.type = TYPE_FUNCTION;
        continue;
      } else if (a.type == TYPE_KEYWORD && (a.valueIs("IN") || a.valueIs("NOT IN"))) {
        // "IN (" is an operator; "IN BOOLEAN MODE" is not
        a.type = b.type == TYPE_LEFTPARENS ? TYPE_OPERATOR : TYPE_BAREWORD;
        continue;
      } else if (a.type == TYPE_OPERATOR && (a.valueIs("LIKE") || a.valueIs("NOT LIKE"))) {
        if (b.type == TYPE_LEFTPARENS) {
          // SELECT LIKE(...: a function
          a.type = TYPE_FUNCTION;
        }
      } else if (a.type == TYPE_SQLTYPE
          && (b.type == TYPE_BAREWORD
              || b.type == TYPE_NUMBER
              || b.type == TYPE_SQLTYPE
              || b.type == TYPE_LEFTPARENS
              || b.type == TYPE_FUNCTION
              || b.type == TYPE_VARIABLE
              || b.type == TYPE_STRING)) {
        a.copyFrom(b);
        pos -= 1;
        st.statsFolds += 1;
        left = 0;
        continue;
      } else if (a.type == TYPE_COLLATE && b.type == TYPE_BAREWORD) {
        // too many collations to list: a bare word with '_' is one
        if (b.valueContains('_')) {
          b.type = TYPE_SQLTYPE;
          left = 0;
        }
      } else if (a.type == TYPE_BACKSLASH) {
        if (b.isArithmeticOp()) {
          // T-SQL parses '\%1' as '0 % 1'
          a.type = TYPE_NUMBER;
        } else {
          // and '\1' as '1'
          a.copyFrom(b);
          pos -= 1;
          st.statsFolds += 1;
        }
        left = 0;
        continue;
      } else if (a.type == TYPE_LEFTPARENS && b.type == TYPE_LEFTPARENS) {
        pos -= 1;
        left = 0;
        st.statsFolds += 1;
        continue;
      } else if (a.type == TYPE_RIGHTPARENS && b.type == TYPE_RIGHTPARENS) {
        pos -= 1;
        left = 0;
        st.statsFolds += 1;
        continue;
      } else if (a.type == TYPE_LEFTBRACE && b.type == TYPE_BAREWORD) {
        // MySQL's "{ ``.``.id }" is valid; "{ ``" is too rare to parse: evil.
        if (b.len == 0) {
          b.type = TYPE_EVIL;
          return left + 2;
        }
        // ODBC "{foo expr}": strip "{ foo"
        left = 0;
        pos -= 2;
        st.statsFolds += 2;
        continue;
      } else if (b.type == TYPE_RIGHTBRACE) {
        pos -= 1;
        left = 0;
        st.statsFolds += 1;
        continue;
      }

      // no two-token fold: get one more token
      while (more && pos <= MAX_TOKENS && pos - left < 3) {
        st.current = tv[pos];
        more = st.tokenize();
        if (more) {
          if (st.current.type == TYPE_COMMENT) {
            lastComment.copyFrom(st.current);
          } else {
            lastComment.type = TYPE_NONE;
            pos += 1;
          }
        }
      }
      if (pos - left < 3) {
        left = pos;
        continue;
      }

      a = tv[left];
      b = tv[left + 1];
      SqliToken c = tv[left + 2];
      if (a.type == TYPE_NUMBER && b.type == TYPE_OPERATOR && c.type == TYPE_NUMBER) {
        pos -= 2;
        left = 0;
        continue;
      } else if (a.type == TYPE_OPERATOR
          && b.type != TYPE_LEFTPARENS
          && c.type == TYPE_OPERATOR) {
        left = 0;
        pos -= 2;
        continue;
      } else if (a.type == TYPE_LOGIC_OPERATOR && c.type == TYPE_LOGIC_OPERATOR) {
        pos -= 2;
        left = 0;
        continue;
      } else if (a.type == TYPE_VARIABLE
          && b.type == TYPE_OPERATOR
          && (c.type == TYPE_VARIABLE || c.type == TYPE_NUMBER || c.type == TYPE_BAREWORD)) {
        pos -= 2;
        left = 0;
        continue;
      } else if ((a.type == TYPE_BAREWORD || a.type == TYPE_NUMBER)
          && b.type == TYPE_OPERATOR
          && (c.type == TYPE_NUMBER || c.type == TYPE_BAREWORD)) {
        pos -= 2;
        left = 0;
        continue;
      } else if ((a.type == TYPE_BAREWORD
              || a.type == TYPE_NUMBER
              || a.type == TYPE_VARIABLE
              || a.type == TYPE_STRING)
          && b.type == TYPE_OPERATOR
          && b.len == 2
          && b.val[0] == ':'
          && b.val[1] == ':'
          && c.type == TYPE_SQLTYPE) {
        // PostgreSQL casts: x::int
        pos -= 2;
        left = 0;
        st.statsFolds += 2;
        continue;
      } else if ((a.type == TYPE_BAREWORD
              || a.type == TYPE_NUMBER
              || a.type == TYPE_STRING
              || a.type == TYPE_VARIABLE)
          && b.type == TYPE_COMMA
          && (c.type == TYPE_NUMBER
              || c.type == TYPE_BAREWORD
              || c.type == TYPE_STRING
              || c.type == TYPE_VARIABLE)) {
        pos -= 2;
        left = 0;
        continue;
      } else if ((a.type == TYPE_EXPRESSION || a.type == TYPE_GROUP || a.type == TYPE_COMMA)
          && b.isUnaryOp()
          && c.type == TYPE_LEFTPARENS) {
        // SELECT + (, LIMIT + (: drop the unary operator
        b.copyFrom(c);
        pos -= 1;
        left = 0;
        continue;
      } else if ((a.type == TYPE_KEYWORD || a.type == TYPE_EXPRESSION || a.type == TYPE_GROUP)
          && b.isUnaryOp()
          && (c.type == TYPE_NUMBER
              || c.type == TYPE_BAREWORD
              || c.type == TYPE_VARIABLE
              || c.type == TYPE_STRING
              || c.type == TYPE_FUNCTION)) {
        // select - 1
        b.copyFrom(c);
        pos -= 1;
        left = 0;
        continue;
      } else if (a.type == TYPE_COMMA
          && b.isUnaryOp()
          && (c.type == TYPE_NUMBER
              || c.type == TYPE_BAREWORD
              || c.type == TYPE_VARIABLE
              || c.type == TYPE_STRING)) {
        // ", -1" becomes ",1", then back up to fold "1,1" into "1"
        b.copyFrom(c);
        left = 0;
        pos -= 3;
        continue;
      } else if (a.type == TYPE_COMMA && b.isUnaryOp() && c.type == TYPE_FUNCTION) {
        // 1,-sin(1) becomes 1,sin(1)
        b.copyFrom(c);
        pos -= 1;
        left = 0;
        continue;
      } else if (a.type == TYPE_BAREWORD && b.type == TYPE_DOT && c.type == TYPE_BAREWORD) {
        // database.table
        pos -= 2;
        left = 0;
        continue;
      } else if (a.type == TYPE_EXPRESSION && b.type == TYPE_DOT && c.type == TYPE_BAREWORD) {
        // select . `foo` becomes select `foo`
        b.copyFrom(c);
        pos -= 1;
        left = 0;
        continue;
      } else if (a.type == TYPE_FUNCTION
          && b.type == TYPE_LEFTPARENS
          && c.type != TYPE_RIGHTPARENS) {
        // USER() takes no arguments: User(foo) is not the function
        if (a.valueIs("USER")) {
          a.type = TYPE_BAREWORD;
        }
      }

      // no folding: the left-most token is final
      left += 1;
    }

    // With room left, a trailing comment is part of the fingerprint.
    if (left < MAX_TOKENS && lastComment.type == TYPE_COMMENT) {
      tv[left].copyFrom(lastComment);
      left += 1;
    }
    // a sixth token may have been read to decide the fifth's type
    return Math.min(left, MAX_TOKENS);
  }
}
