package dev.citizen.gateway.waf.seclang;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One entry of a rule's variable list, e.g. {@code !ARGS:foo}, {@code &ARGS},
 * {@code ARGS:/^id_/}, {@code XML:/*}.
 *
 * @param name the collection or variable name, upper-cased ({@code ARGS})
 * @param key the selector after {@code :}, or null for the whole collection; for a regex selector
 *     the pattern without its slashes
 * @param regex whether {@code key} is a {@code /regex/}
 * @param negated {@code !}: an exclusion
 * @param counted {@code &}: the count of values instead of the values
 */
public record VariableSpec(String name, String key, boolean regex, boolean negated, boolean counted) {

  /** {@code ARGS:foo} as written (without {@code !}/{@code &}), for messages. */
  public String display() {
    if (key == null) {
      return name;
    }
    return name + ":" + (regex ? "/" + key + "/" : key);
  }

  /** Parses {@code ARGS|!ARGS:foo|&ARGS|REQUEST_HEADERS:User-Agent|ARGS:/a|b/|XML:/*}. */
  public static List<VariableSpec> parseList(String text, String where) {
    List<VariableSpec> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && (text.charAt(i) == '|' || Character.isWhitespace(text.charAt(i)))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      boolean negated = false;
      boolean counted = false;
      while (i < n && (text.charAt(i) == '!' || text.charAt(i) == '&')) {
        if (text.charAt(i) == '!') {
          negated = true;
        } else {
          counted = true;
        }
        i++;
      }
      int nameStart = i;
      while (i < n && text.charAt(i) != ':' && text.charAt(i) != '|' && text.charAt(i) != '.') {
        i++;
      }
      String name = text.substring(nameStart, i).strip().toUpperCase(Locale.ROOT);
      if (name.isEmpty()) {
        throw new SecLangException(where, "empty variable name in \"" + text + "\"");
      }
      String key = null;
      boolean regex = false;
      if (i < n && (text.charAt(i) == ':' || text.charAt(i) == '.')) {
        i++;
        if (name.equals("XML")) {
          // An XPath: slashes are its syntax, not a regex.
          int keyStart = i;
          while (i < n && text.charAt(i) != '|') {
            i++;
          }
          key = text.substring(keyStart, i);
        } else if (i < n && text.charAt(i) == '/') {
          regex = true;
          Delimited selector = Delimited.read(text, i, '/', false);
          if (selector.end() < 0) {
            throw new SecLangException(where, "unterminated /regex/ selector in \"" + text + "\"");
          }
          key = selector.value();
          i = selector.end();
        } else if (i < n && text.charAt(i) == '\'') {
          int close = text.indexOf('\'', i + 1);
          if (close < 0) {
            throw new SecLangException(where, "unterminated quoted selector in \"" + text + "\"");
          }
          key = text.substring(i + 1, close);
          i = close + 1;
          if (key.length() >= 2 && key.startsWith("/") && key.endsWith("/")) {
            regex = true;
            key = key.substring(1, key.length() - 1);
          }
        } else {
          int keyStart = i;
          while (i < n && text.charAt(i) != '|') {
            i++;
          }
          key = text.substring(keyStart, i).strip();
        }
      }
      out.add(new VariableSpec(name, key, regex, negated, counted));
    }
    return out;
  }
}
