package dev.citizen.gateway.waf.engine;

import dev.citizen.gateway.waf.seclang.SecLangException;
import dev.citizen.gateway.waf.seclang.SecLangParser;
import dev.citizen.gateway.waf.seclang.VariableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Compiles the actions that change the transaction: setvar, skip, skipAfter, ctl, initcol, expirevar. */
final class ActionCompiler {
  private ActionCompiler() {}

  static final Set<String> WRITABLE = Set.of("TX", "IP", "GLOBAL", "SESSION", "USER", "RESOURCE");

  /** {@code tx.a=1}, {@code tx.a=+%{tx.b}}, {@code tx.a=-1}, {@code !tx.a}, {@code tx.a}. */
  static RuleAction setvar(String spec, String where) {
    String s = spec.strip();
    boolean delete = s.startsWith("!");
    if (delete) {
      s = s.substring(1);
    }
    int eq = s.indexOf('=');
    String target = (eq < 0 ? s : s.substring(0, eq)).strip();
    String valueText = eq < 0 ? null : s.substring(eq + 1);
    int dot = target.indexOf('.');
    if (dot <= 0) {
      throw new SecLangException(where, "setvar:" + spec + " (expected: collection.name=value)");
    }
    String collection = target.substring(0, dot).toUpperCase(Locale.ROOT);
    if (!WRITABLE.contains(collection)) {
      throw new SecLangException(where, "setvar: cannot write collection " + collection);
    }
    Macro name = Macro.compile(target.substring(dot + 1));
    if (delete) {
      return (tx, rule) -> tx.deleteVar(collection, name.expand(tx));
    }
    if (valueText == null) {
      return (tx, rule) -> tx.setVar(collection, name.expand(tx), "1");
    }
    if (valueText.startsWith("+") || valueText.startsWith("-")) {
      boolean minus = valueText.startsWith("-");
      Macro amount = Macro.compile(valueText.substring(1));
      return (tx, rule) -> {
        String key = name.expand(tx);
        long delta = toLong(amount.expand(tx));
        long current = toLong(tx.getVar(collection, key));
        tx.setVar(collection, key, Long.toString(minus ? current - delta : current + delta));
      };
    }
    Macro value = Macro.compile(valueText);
    return (tx, rule) -> tx.setVar(collection, name.expand(tx), value.expand(tx));
  }

  static long toLong(String s) {
    if (s == null) {
      return 0;
    }
    String t = s.strip();
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      // Like atoi: leading digits count, anything else is 0.
      int i = 0;
      if (i < t.length() && (t.charAt(i) == '-' || t.charAt(i) == '+')) {
        i++;
      }
      int start = i;
      while (i < t.length() && Character.isDigit(t.charAt(i)) && i - start < 18) {
        i++;
      }
      if (i == start) {
        return 0;
      }
      return Long.parseLong(t.substring(0, i));
    }
  }

  static RuleAction skip(String n, String where) {
    int count;
    try {
      count = Integer.parseInt(n.strip());
    } catch (NumberFormatException e) {
      throw new SecLangException(where, "skip:" + n + " (expected: a number)");
    }
    return (tx, rule) -> tx.skip(count);
  }

  static RuleAction skipAfter(String marker) {
    // Interned like the markers' names, so the rule loop compares them by identity.
    return new SkipAfter(marker.strip().intern());
  }

  /** {@code skipAfter:MARKER}; a type of its own so that the rule set can find where it lands. */
  record SkipAfter(String marker) implements RuleAction {
    @Override
    public void run(Transaction tx, Rule rule) {
      tx.skipAfter(marker);
    }
  }

  /** {@code initcol:ip=%{remote_addr}_%{tx.ua_hash}}. */
  static RuleAction initcol(String spec, String where) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new SecLangException(where, "initcol:" + spec + " (expected: collection=key)");
    }
    String collection = spec.substring(0, eq).strip().toUpperCase(Locale.ROOT);
    if (!WRITABLE.contains(collection) || collection.equals("TX")) {
      throw new SecLangException(where, "initcol: unknown collection " + collection);
    }
    Macro key = Macro.compile(spec.substring(eq + 1));
    return (tx, rule) -> tx.initCollection(collection, key.expand(tx));
  }

  /** {@code expirevar:'ip.block=%{tx.block_duration}'}. */
  static RuleAction expirevar(String spec, String where) {
    int eq = spec.indexOf('=');
    String target = (eq < 0 ? spec : spec.substring(0, eq)).strip();
    int dot = target.indexOf('.');
    if (dot <= 0) {
      throw new SecLangException(where, "expirevar:" + spec + " (expected: collection.name=seconds)");
    }
    String collection = target.substring(0, dot).toUpperCase(Locale.ROOT);
    Macro name = Macro.compile(target.substring(dot + 1));
    Macro seconds = Macro.compile(eq < 0 ? "0" : spec.substring(eq + 1));
    return (tx, rule) -> tx.expireVar(collection, name.expand(tx), toLong(seconds.expand(tx)));
  }

  /** {@code ctl:name=value}; audit-log controls are accepted and ignored. */
  static RuleAction ctl(String spec, String where) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new SecLangException(where, "ctl:" + spec + " (expected: name=value)");
    }
    String name = spec.substring(0, eq).strip();
    String value = spec.substring(eq + 1).strip();
    switch (name.toLowerCase(Locale.ROOT)) {
      case "ruleremovebyid" -> {
        List<long[]> ranges = new ArrayList<>();
        for (String part : value.split("[ ,]+")) {
          if (!part.isBlank()) {
            ranges.add(SecLangParser.idRange(part, where));
          }
        }
        return (tx, rule) -> tx.removeRules(ranges);
      }
      case "ruleremovebytag" -> {
        return (tx, rule) -> tx.removeRulesByTag(value);
      }
      case "ruleremovetargetbyid", "ruleremovetargetbytag" -> {
        int semi = value.indexOf(';');
        if (semi <= 0) {
          throw new SecLangException(where, "ctl:" + name + "=" + value + " (expected: id;VARIABLE)");
        }
        String which = value.substring(0, semi).strip();
        List<VariableSpec> specs = VariableSpec.parseList(value.substring(semi + 1), where);
        List<Target> targets = new ArrayList<>();
        for (VariableSpec vs : specs) {
          try {
            targets.add(Target.of(vs));
          } catch (IllegalArgumentException e) {
            throw new SecLangException(where, e.getMessage(), e);
          }
        }
        if (name.equalsIgnoreCase("ruleRemoveTargetById")) {
          long[] range = SecLangParser.idRange(which, where);
          return (tx, rule) -> tx.removeTargets(range, null, targets);
        }
        return (tx, rule) -> tx.removeTargets(null, which, targets);
      }
      case "ruleengine" -> {
        EngineMode mode;
        try {
          mode = EngineMode.parse(value);
        } catch (IllegalArgumentException e) {
          throw new SecLangException(where, "ctl:ruleEngine: " + e.getMessage());
        }
        return (tx, rule) -> tx.setMode(mode);
      }
      case "requestbodyprocessor" -> {
        String processor = value.toUpperCase(Locale.ROOT);
        if (!Set.of("URLENCODED", "MULTIPART", "JSON", "XML").contains(processor)) {
          throw new SecLangException(where, "ctl:requestBodyProcessor=" + value
              + " (expected: URLENCODED, MULTIPART, JSON or XML)");
        }
        return (tx, rule) -> tx.setBodyProcessor(processor);
      }
      case "requestbodyaccess" -> {
        boolean on = onOff(value, name, where);
        return (tx, rule) -> tx.setBodyAccess(on);
      }
      case "forcerequestbodyvariable" -> {
        boolean on = onOff(value, name, where);
        return (tx, rule) -> tx.forceRequestBodyVariable(on);
      }
      case "requestbodylimit" -> {
        long limit = ActionCompiler.toLong(value);
        return (tx, rule) -> tx.setBodyLimit(limit);
      }
      case "auditengine", "auditlogparts", "debugloglevel", "responsebodyaccess",
          "responsebodylimit", "hashengine", "hashenforcement" -> {
        return (tx, rule) -> { };
      }
      default -> throw new SecLangException(where, "unknown ctl " + name);
    }
  }

  private static boolean onOff(String value, String name, String where) {
    if (value.equalsIgnoreCase("on") || value.equalsIgnoreCase("true") || value.equals("1")) {
      return true;
    }
    if (value.equalsIgnoreCase("off") || value.equalsIgnoreCase("false") || value.equals("0")) {
      return false;
    }
    throw new SecLangException(where, "ctl:" + name + "=" + value + " (expected: On or Off)");
  }
}
