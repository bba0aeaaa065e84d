package dev.citizen.gateway.config;

import java.util.function.Function;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in scalar config values. {@code $$} is a
 * literal {@code $}. Done per scalar after YAML parsing, so a variable can never inject YAML
 * structure.
 */
final class EnvSubstitution {
  private final Function<String, String> env;

  EnvSubstitution(Function<String, String> env) {
    this.env = env;
  }

  /** Returns the substituted text; throws IllegalArgumentException naming an unset variable. */
  String apply(String text) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated ${ in \"" + text + "\"");
        }
        String expr = text.substring(i + 2, end);
        int sep = expr.indexOf(":-");
        String name = sep < 0 ? expr : expr.substring(0, sep);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new IllegalArgumentException("bad variable name \"" + name + "\"");
        }
        String value = env.apply(name);
        if (value == null || (sep >= 0 && value.isEmpty())) {
          if (sep < 0) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
          }
          value = expr.substring(sep + 2);
        }
        out.append(value);
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
