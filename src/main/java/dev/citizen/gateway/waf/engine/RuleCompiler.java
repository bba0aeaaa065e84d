package dev.citizen.gateway.waf.engine;

import dev.citizen.gateway.waf.operator.Operator;
import dev.citizen.gateway.waf.operator.Operators;
import dev.citizen.gateway.waf.seclang.ActionSpec;
import dev.citizen.gateway.waf.seclang.ParsedConfig;
import dev.citizen.gateway.waf.seclang.RuleDef;
import dev.citizen.gateway.waf.seclang.SecLangException;
import dev.citizen.gateway.waf.seclang.VariableSpec;
import dev.citizen.gateway.waf.transform.Transformation;
import dev.citizen.gateway.waf.transform.Transformations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns parsed directives into executable rules, once, at load: operators and transformations are
 * compiled, macros split, {@code SecDefaultAction} merged in, {@code SecRuleRemove*} and
 * {@code SecRuleUpdate*} applied (to every rule, whatever the directive order, as in v3).
 */
final class RuleCompiler {

  private final ParsedConfig config;
  /** Pipeline prefix ({@code lowercase,urlDecodeUni}) → id, for the transformation cache. */
  private final Map<String, Integer> pipelineIds = new HashMap<>();
  /** One instance per transformation name. */
  private final Map<String, Transformation> transformations = new HashMap<>();
  /** Transformation name → small id, for the per-step key of the transformation cache. */
  private final Map<String, Integer> transformationIds = new HashMap<>();

  /**
   * Operators whose meaning is all in their parameter, shared with other rule sets of the same
   * gateway (see {@link RuleSet#load(List, List, List, Map)}); a new map when nothing is shared.
   */
  private final Map<String, Operator> sharedOperators;

  /**
   * The operators that read nothing but their parameter: one compiled instance can serve every
   * rule set. {@code @pmFromFile} is shared by the content of its files, which are read anew with
   * each rule set (an edited file makes a new operator); {@code @ipMatchFromFile} is not shared.
   */
  private static final Set<String> PURE_OPERATORS = Set.of("rx", "pm", "streq", "strmatch",
      "contains", "beginsWith", "endsWith", "containsWord", "within", "eq", "ge", "gt", "le", "lt",
      "validateByteRange", "ipMatch");

  /**
   * Operators whose answer is a function of the tested text alone once their parameter has no
   * macro, and that cost enough for a failure to be worth remembering ({@link ValueMemo}).
   */
  private static final Set<String> VERDICT_OPERATORS = Set.of("rx", "pm", "pmf", "pmFromFile", "detectSQLi",
      "detectXSS", "validateByteRange");

  RuleCompiler(ParsedConfig config, Map<String, Operator> sharedOperators) {
    this.config = config;
    this.sharedOperators = sharedOperators;
  }

  private Operator operator(String name, String parameter, Path baseDir) {
    String key;
    List<String> phrases = null;
    if (name.equals("pmFromFile") || name.equals("pmf")) {
      phrases = Operators.phraseFiles(parameter, baseDir);
      key = "pmFromFile\u0000" + String.join("\n", phrases);
    } else if (PURE_OPERATORS.contains(name)) {
      key = name + '\u0000' + (parameter == null ? "" : parameter.trim());
    } else {
      return Operators.compile(name, parameter, baseDir);
    }
    Operator known = sharedOperators.get(key);
    if (known != null) {
      return known;
    }
    Operator compiled = phrases != null ? Operators.phraseMatch(phrases) : Operators.compile(name, parameter, baseDir);
    Operator raced = sharedOperators.putIfAbsent(key, compiled);
    return raced != null ? raced : compiled;
  }

  /** The compiled rules of each phase (index 1..5), markers included in every phase. */
  @SuppressWarnings("unchecked")
  List<Rule>[] compile() {
    for (ParsedConfig.ActionUpdate u : config.actionUpdates) {
      boolean found = false;
      for (RuleDef def : config.rules) {
        if (def.kind() != RuleDef.Kind.MARKER && def.id() == u.id()) {
          updateActions(def, u.actions());
          found = true;
        }
      }
      if (!found) {
        throw new SecLangException(u.where(), "SecRuleUpdateActionById: no rule with id " + u.id());
      }
    }
    List<Rule>[] phases = new List[6];
    for (int i = 0; i < phases.length; i++) {
      phases[i] = new ArrayList<>();
    }
    for (RuleDef def : config.rules) {
      if (def.kind() == RuleDef.Kind.MARKER) {
        Rule marker = new Rule();
        marker.markerName = def.markerName().intern();
        marker.source = def.source();
        for (int p = 1; p <= 5; p++) {
          phases[p].add(marker);
        }
        continue;
      }
      if (removed(def)) {
        continue;
      }
      Rule rule = compileChain(def);
      applyTargetUpdates(rule, def);
      rule.prepare();
      phases[rule.phase].add(rule);
    }
    return phases;
  }

  private static void updateActions(RuleDef def, List<ActionSpec> update) {
    def.updateActions(update);
  }

  private boolean removed(RuleDef def) {
    int id = def.id();
    for (long[] r : config.removedIdRanges) {
      if (id >= r[0] && id <= r[1]) {
        return true;
      }
    }
    if (!config.removedTags.isEmpty() || !config.removedMsgs.isEmpty()) {
      for (ActionSpec a : def.actions()) {
        if (a.name().equals("tag") && config.removedTags.contains(a.value())) {
          return true;
        }
        if (a.name().equals("msg") && config.removedMsgs.contains(a.value())) {
          return true;
        }
      }
    }
    return false;
  }

  private void applyTargetUpdates(Rule rule, RuleDef def) {
    for (ParsedConfig.TargetUpdate u : config.targetUpdates) {
      boolean applies = u.tag() != null ? rule.hasTag(u.tag())
          : rule.id >= u.fromId() && rule.id <= u.toId();
      if (!applies || rule.operator == null) {
        continue;
      }
      List<Target> targets = new ArrayList<>(rule.targets);
      List<Target> exclusions = new ArrayList<>(rule.exclusions);
      for (VariableSpec spec : u.targets()) {
        Target t = target(spec, u.where());
        if (spec.negated()) {
          exclusions.add(t);
        } else {
          targets.add(t);
        }
      }
      rule.targets = List.copyOf(targets);
      rule.exclusions = List.copyOf(exclusions);
    }
  }

  private Rule compileChain(RuleDef def) {
    String where = def.source().where();
    List<ActionSpec> defaults = null;
    int phase = 2;
    String phaseText = def.action("phase");
    if (phaseText != null) {
      phase = phase(phaseText, where);
    }
    defaults = config.defaultActions.getOrDefault(phase, List.of());
    Rule starter = compileOne(def, defaults, phase, null);
    starter.id = def.id();
    Rule previous = starter;
    for (RuleDef link : def.chain()) {
      Rule r = compileOne(link, defaults, phase, starter);
      previous.chained = r;
      previous = r;
    }
    return starter;
  }

  private Rule compileOne(RuleDef def, List<ActionSpec> defaults, int phase, Rule starter) {
    String where = def.source().where();
    Rule rule = new Rule();
    rule.source = def.source();
    rule.phase = phase;
    rule.starter = starter == null ? rule : starter;
    rule.id = starter == null ? def.id() : starter.id;
    if (def.kind() == RuleDef.Kind.RULE) {
      List<Target> targets = new ArrayList<>();
      List<Target> exclusions = new ArrayList<>();
      for (VariableSpec spec : def.variables()) {
        Target t = target(spec, where);
        if (spec.negated()) {
          exclusions.add(t);
        } else {
          targets.add(t);
        }
      }
      rule.targets = List.copyOf(targets);
      rule.exclusions = List.copyOf(exclusions);
      rule.operatorName = def.operatorName();
      rule.negated = def.operatorNegated();
      try {
        rule.operator = operator(def.operatorName(), def.operatorParam(), def.source().baseDir());
        rule.textOnlyOperator = VERDICT_OPERATORS.contains(def.operatorName())
            && (def.operatorParam() == null || !def.operatorParam().contains("%{"));
      } catch (IllegalArgumentException e) {
        throw new SecLangException(where, "operator @" + def.operatorName() + ": " + e.getMessage(), e);
      }
    }

    List<String> pipeline = new ArrayList<>();
    boolean explicitDisruptive = false;
    boolean block = false;
    Boolean log = null;
    Integer status = null;
    List<RuleAction> perMatch = new ArrayList<>();
    List<RuleAction> afterMatch = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    // Default transformations come first; a t:none in the rule clears them.
    for (ActionSpec a : defaults) {
      if (a.name().equals("t")) {
        transformation(pipeline, a.value(), where);
      }
    }
    for (ActionSpec a : def.actions()) {
      String v = a.value();
      switch (a.name()) {
        case "id", "chain", "auditlog", "noauditlog", "sanitisearg", "sanitisematched",
            "sanitisematchedbytes", "sanitiserequestheader", "sanitiseresponseheader", "setenv",
            "setuid", "setsid", "setrsc", "exec", "append", "prepend", "xmlns", "deprecatevar",
            "mandatory" -> { }
        case "phase" -> {
          if (starter != null && phase(v, where) != phase) {
            throw new SecLangException(where, "a chained rule cannot change the phase");
          }
        }
        case "msg" -> rule.msg = Macro.compile(need(v, a, where));
        case "logdata" -> rule.logData = Macro.compile(need(v, a, where));
        case "tag" -> tags.add(need(v, a, where));
        case "severity" -> rule.severity = severity(need(v, a, where), where);
        case "ver" -> rule.ver = v;
        case "rev" -> rule.rev = v;
        case "maturity" -> rule.maturity = v;
        case "accuracy" -> rule.accuracy = v;
        case "log" -> log = true;
        case "nolog" -> log = false;
        case "capture" -> rule.capture = true;
        case "multimatch" -> rule.multiMatch = true;
        case "t" -> transformation(pipeline, need(v, a, where), where);
        case "setvar" -> perMatch.add(ActionCompiler.setvar(need(v, a, where), where));
        case "skip" -> afterMatch.add(ActionCompiler.skip(need(v, a, where), where));
        case "skipafter" -> afterMatch.add(ActionCompiler.skipAfter(need(v, a, where)));
        case "ctl" -> afterMatch.add(ActionCompiler.ctl(need(v, a, where), where));
        case "initcol" -> afterMatch.add(ActionCompiler.initcol(need(v, a, where), where));
        case "expirevar" -> afterMatch.add(ActionCompiler.expirevar(need(v, a, where), where));
        case "status" -> status = number(need(v, a, where), where);
        case "deny" -> disruptive(rule, Rule.Disruptive.DENY);
        case "drop" -> disruptive(rule, Rule.Disruptive.DROP);
        case "pass" -> disruptive(rule, Rule.Disruptive.PASS);
        case "proxy" -> disruptive(rule, Rule.Disruptive.DENY);
        case "redirect" -> {
          disruptive(rule, Rule.Disruptive.REDIRECT);
          rule.redirectUrl = v;
        }
        case "allow" -> {
          disruptive(rule, Rule.Disruptive.ALLOW);
          rule.allowScope = allowScope(v, where);
        }
        case "block" -> block = true;
        default -> throw new SecLangException(where, "unknown action " + a.name());
      }
      if (RuleDefDisruptive.is(a.name()) && !a.name().equals("block")) {
        explicitDisruptive = true;
      }
    }
    if (starter == null) {
      // block, or no disruptive action: the phase's SecDefaultAction decides.
      if (block || !explicitDisruptive) {
        rule.disruptive = Rule.Disruptive.PASS;
        for (ActionSpec a : defaults) {
          switch (a.name()) {
            case "deny" -> rule.disruptive = Rule.Disruptive.DENY;
            case "drop" -> rule.disruptive = Rule.Disruptive.DROP;
            case "pass" -> rule.disruptive = Rule.Disruptive.PASS;
            case "redirect" -> {
              rule.disruptive = Rule.Disruptive.REDIRECT;
              rule.redirectUrl = a.value();
            }
            case "allow" -> {
              rule.disruptive = Rule.Disruptive.ALLOW;
              rule.allowScope = allowScope(a.value(), where);
            }
            default -> { }
          }
        }
      }
      if (status == null) {
        for (ActionSpec a : defaults) {
          if (a.name().equals("status")) {
            status = number(a.value(), where);
          }
        }
      }
      if (log == null) {
        for (ActionSpec a : defaults) {
          if (a.name().equals("log")) {
            log = true;
          } else if (a.name().equals("nolog")) {
            log = false;
          }
        }
      }
      rule.log = log == null || log;
      rule.status = status == null ? 0 : status;
    } else {
      // In v3 only the chain's first rule carries disruptive actions.
      rule.disruptive = Rule.Disruptive.NONE;
      rule.log = log == null || log;
    }
    rule.tags = List.copyOf(tags);
    rule.perMatch = List.copyOf(perMatch);
    rule.afterMatch = List.copyOf(afterMatch);
    rule.transformations = new Transformation[pipeline.size()];
    rule.pipelineIds = new int[pipeline.size()];
    rule.transformationIds = new int[pipeline.size()];
    rule.transformationTriggers = new int[pipeline.size()];
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < pipeline.size(); i++) {
      String name = pipeline.get(i);
      rule.transformations[i] = transformations.get(name);
      rule.transformationIds[i] = transformationIds.computeIfAbsent(name, k -> transformationIds.size() + 1);
      rule.transformationTriggers[i] = Transformations.triggers(name);
      prefix.append(name).append(',');
      rule.pipelineIds[i] = pipelineIds.computeIfAbsent(prefix.toString(), k -> pipelineIds.size() + 1);
    }
    return rule;
  }

  private void transformation(List<String> pipeline, String name, String where) {
    if (name.equals("none")) {
      pipeline.clear();
      return;
    }
    if (!transformations.containsKey(name)) {
      try {
        transformations.put(name, Transformations.byName(name));
      } catch (IllegalArgumentException e) {
        throw new SecLangException(where, "t:" + name + ": " + e.getMessage(), e);
      }
    }
    pipeline.add(name);
  }

  private static void disruptive(Rule rule, Rule.Disruptive d) {
    rule.disruptive = d;
  }

  /**
   * One compiled target per distinct selector: a target is immutable, and sharing it lets an
   * entry remember a key regex's answer across rules ({@link Entry#keyFound}), which matters for
   * an exclusion {@code SecRuleUpdateTargetByTag} adds to dozens of rules.
   */
  private final Map<VariableSpec, Target> targets = new HashMap<>();

  private Target target(VariableSpec spec, String where) {
    Target known = targets.get(spec);
    if (known != null) {
      return known;
    }
    try {
      Target t = Target.of(spec);
      targets.put(spec, t);
      return t;
    } catch (IllegalArgumentException e) {
      throw new SecLangException(where, e.getMessage(), e);
    }
  }

  private static String need(String value, ActionSpec a, String where) {
    if (value == null) {
      throw new SecLangException(where, "action " + a.name() + " needs a value");
    }
    return value;
  }

  static int phase(String value, String where) {
    int p = switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "1", "request_headers" -> 1;
      case "2", "request", "request_body" -> 2;
      case "3", "response_headers" -> 3;
      case "4", "response", "response_body" -> 4;
      case "5", "logging" -> 5;
      default -> -1;
    };
    if (p < 0) {
      throw new SecLangException(where, "phase: " + value + " (expected: 1-5, request, response or logging)");
    }
    return p;
  }

  private static int number(String value, String where) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new SecLangException(where, "not a number: " + value);
    }
  }

  private static Rule.AllowScope allowScope(String value, String where) {
    if (value == null || value.isBlank()) {
      return Rule.AllowScope.ALL;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "phase" -> Rule.AllowScope.PHASE;
      case "request" -> Rule.AllowScope.REQUEST;
      default -> throw new SecLangException(where, "allow:" + value + " (expected: phase or request)");
    };
  }

  private static final String[] SEVERITIES = {"EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING",
      "NOTICE", "INFO", "DEBUG"};

  static String severity(String value, String where) {
    String v = value.strip().toUpperCase(Locale.ROOT);
    for (String s : SEVERITIES) {
      if (s.equals(v)) {
        return s;
      }
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 0 && n < SEVERITIES.length) {
        return SEVERITIES[n];
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SecLangException(where, "severity: " + value + " (expected: 0-7 or EMERGENCY..DEBUG)");
  }

  /** Disruptive action names. */
  private static final class RuleDefDisruptive {
    static boolean is(String name) {
      return switch (name) {
        case "deny", "drop", "pass", "allow", "block", "redirect", "proxy" -> true;
        default -> false;
      };
    }
  }
}
