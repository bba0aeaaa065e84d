package dev.citizen.gateway.waf.seclang;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One action as written in a rule, e.g. {@code setvar:'tx.a=1'}: the name (lower-cased, as
 * SecLang action names are case-insensitive) and the unquoted value, or null for {@code chain}.
 */
public record ActionSpec(String name, String value) {

  /**
   * Parses an action list: comma-separated, {@code name} or {@code name:value}, where a value in
   * single quotes may hold commas and {@code \'} for a quote.
   */
  public static List<ActionSpec> parseList(String text, String where) {
    List<ActionSpec> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == ',')) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int nameStart = i;
      while (i < n && text.charAt(i) != ':' && text.charAt(i) != ',') {
        i++;
      }
      String name = text.substring(nameStart, i).strip().toLowerCase(Locale.ROOT);
      String value = null;
      if (i < n && text.charAt(i) == ':') {
        i++;
        while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
          i++;
        }
        if (i < n && text.charAt(i) == '\'') {
          Delimited quoted = Delimited.read(text, i, '\'', false);
          if (quoted.end() < 0) {
            throw new SecLangException(where, "unterminated single quote in action " + name);
          }
          value = quoted.value();
          i = quoted.end();
          while (i < n && text.charAt(i) != ',') {
            if (!Character.isWhitespace(text.charAt(i))) {
              throw new SecLangException(where, "unexpected text after quoted value of action " + name);
            }
            i++;
          }
        } else {
          int valueStart = i;
          while (i < n && text.charAt(i) != ',') {
            i++;
          }
          value = text.substring(valueStart, i).strip();
        }
      }
      if (name.isEmpty()) {
        throw new SecLangException(where, "empty action name in \"" + text + "\"");
      }
      out.add(new ActionSpec(name, value));
    }
    return out;
  }
}
