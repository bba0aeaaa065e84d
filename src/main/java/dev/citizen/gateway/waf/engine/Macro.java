package dev.citizen.gateway.waf.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text with {@code %{...}} macros ({@code %{tx.anomaly_score}}, {@code %{MATCHED_VAR}},
 * {@code %{REQUEST_HEADERS.host}}, {@code %{rule.id}}), split once at load into literal and
 * variable parts. A macro that resolves to nothing expands to the empty string, as in ModSecurity.
 */
final class Macro {

  /** Looks a variable up for expansion: the first value of {@code name[:key]}, or null. */
  interface Resolver {
    String firstValue(Variable variable);
  }

  /**
   * A variable a macro names, looked up once at load: its kind, collection slot and lower-cased
   * key, which depend on the text alone, instead of two map lookups and a lower-casing at every
   * expansion (CRS expands a few dozen macros for a benign JSON POST: setvars such as {@code
   * %{tx.critical_anomaly_score}}, and the restricted-header check per header).
   *
   * @param kind null for a name the engine does not know (expands to nothing)
   * @param slot the {@link Target#slotOf} of the name
   */
  record Variable(String name, String key, Target.Kind kind, int slot, String keyLower) {
    static Variable of(String name, String key) {
      return new Variable(name, key, Target.kindOf(name), Target.slotOf(name),
          key == null ? null : key.toLowerCase(Locale.ROOT));
    }
  }

  private record Part(String literal, Variable variable) {}

  private final String text;
  private final List<Part> parts;

  private Macro(String text, List<Part> parts) {
    this.text = text;
    this.parts = parts;
  }

  static Macro compile(String text) {
    List<Part> parts = new ArrayList<>();
    int i = 0;
    StringBuilder literal = new StringBuilder();
    while (i < text.length()) {
      int open = text.indexOf("%{", i);
      int close = open < 0 ? -1 : text.indexOf('}', open + 2);
      if (open < 0 || close < 0) {
        literal.append(text, i, text.length());
        break;
      }
      literal.append(text, i, open);
      if (literal.length() > 0) {
        parts.add(new Part(literal.toString(), null));
        literal.setLength(0);
      }
      String ref = text.substring(open + 2, close).strip();
      int dot = ref.indexOf('.');
      int colon = ref.indexOf(':');
      int sep = dot < 0 ? colon : (colon < 0 ? dot : Math.min(dot, colon));
      String name = (sep < 0 ? ref : ref.substring(0, sep)).toUpperCase(Locale.ROOT);
      String key = sep < 0 ? null : ref.substring(sep + 1);
      parts.add(new Part(null, Variable.of(name, key)));
      i = close + 1;
    }
    if (literal.length() > 0) {
      parts.add(new Part(literal.toString(), null));
    }
    return new Macro(text, List.copyOf(parts));
  }

  boolean isConstant() {
    for (Part p : parts) {
      if (p.literal == null) {
        return false;
      }
    }
    return true;
  }

  String text() {
    return text;
  }

  String expand(Resolver resolver) {
    if (parts.size() == 1) {
      // One literal, or one variable (most setvar values: %{tx.critical_anomaly_score}).
      Part only = parts.get(0);
      if (only.literal != null) {
        return only.literal;
      }
      String v = resolver.firstValue(only.variable);
      return v == null ? "" : v;
    }
    StringBuilder b = new StringBuilder();
    for (Part p : parts) {
      if (p.literal != null) {
        b.append(p.literal);
      } else {
        String v = resolver.firstValue(p.variable);
        if (v != null) {
          b.append(v);
        }
      }
    }
    return b.toString();
  }
}
