package dev.citizen.gateway.waf.engine;

import dev.citizen.gateway.waf.operator.Operator;
import dev.citizen.gateway.waf.seclang.SourceLine;
import dev.citizen.gateway.waf.transform.Transformation;
import java.util.List;

/** A compiled rule (or one link of a chain, or a marker). Immutable; shared by transactions. */
final class Rule {

  /** The disruptive action, after {@code block} has been resolved against the defaults. */
  enum Disruptive { NONE, PASS, DENY, DROP, REDIRECT, ALLOW }

  /** What {@code allow} lets through. */
  enum AllowScope { ALL, PHASE, REQUEST }

  int id;
  int phase;
  SourceLine source;
  String markerName;
  /** The selectors in rule order, and the rule's own {@code !} exclusions. */
  List<Target> targets = List.of();
  List<Target> exclusions = List.of();
  /** Null for SecAction (matches unconditionally). */
  Operator operator;
  boolean negated;
  String operatorName;
  Transformation[] transformations = new Transformation[0];
  /** For step i, the id of the pipeline prefix ending at i (the transformation cache key). */
  int[] pipelineIds = new int[0];
  /** For step i, the id (1..) of transformation i alone (the cache's per-step key). */
  int[] transformationIds = new int[0];
  /** For step i: the {@code CharClasses} a value needs for transformation i to change it. */
  int[] transformationTriggers = new int[0];
  boolean multiMatch;
  boolean capture;
  /** setvar: run on every match of this rule, whether or not its chain then matches (v3). */
  List<RuleAction> perMatch = List.of();
  /** ctl, skip, skipAfter, initcol, expirevar: run once the whole chain matched. */
  List<RuleAction> afterMatch = List.of();
  Disruptive disruptive = Disruptive.NONE;
  AllowScope allowScope = AllowScope.ALL;
  int status;
  String redirectUrl;
  Macro msg;
  Macro logData;
  String severity;
  List<String> tags = List.of();
  String ver;
  String rev;
  String maturity;
  String accuracy;
  boolean log = true;
  Rule chained;
  /** The first rule of this rule's chain (itself for a chain starter). */
  Rule starter;

  /**
   * For each of {@link #targets}, the rule's exclusions on the same variable (an empty array for
   * most), so that a value is only checked against exclusions that can apply. Set by
   * {@link #prepare()} once the rule is final.
   */
  Target[][] exclusionsByTarget = new Target[0][];
  /** {@link #targets} as an array, for the rule loop. */
  Target[] targetArray = new Target[0];

  /**
   * The marker this rule's skipAfter names (interned), and the index just past that marker in
   * the rule's phase, where the loop goes on; -1 when the rule has no single skipAfter or its
   * marker does not follow it in the phase. Set by the rule set.
   */
  String skipAfterMarker;
  int skipAfterLanding = -1;

  /** This rule's bit in its rule set's {@link dev.citizen.gateway.waf.operator.LiteralIndex}, or -1. */
  int literalSlot = -1;

  /**
   * Whether the rule can be passed over for a request in which none of its target collections
   * holds, after the rule's transformations, one of its pattern's required literals: it has an
   * indexed pattern ({@link #literalSlot}), is not negated, and reads only keyed collections,
   * uncounted (with multiMatch, every pipeline prefix's values count). Set by the rule set.
   */
  boolean skippableByLiterals;
  /**
   * For each of {@link #targetArray}: the rule set's number for the selector with this rule's own
   * exclusions on it, so that rules selecting the same values share one union of their bits.
   */
  int[] selectionIds = new int[0];
  /**
   * Whether the operator's answer depends on nothing but the text it tests: a pattern or phrase
   * list without macros, a libinjection detector, or a byte range. Set at compile.
   */
  boolean textOnlyOperator;
  /**
   * The rule's bit in a {@link ValueMemo}'s failures, or -1: a text-only operator, and not a
   * negated multiMatch (a multiMatch rule's bit means it failed every step's text of the value).
   * Set by the rule set.
   */
  int verdictSlot = -1;

  /**
   * Whether a value whose memo records this rule's operator failing it can be passed over
   * unread: the failure is remembered for it, and it means no match. Not for a negated operator,
   * whose failure is a match (CRS 920170 and others), nor multiMatch, whose verdict covers all
   * steps together ({@link Transaction}'s testEachStep).
   */
  boolean skipsRememberedFailures() {
    return verdictSlot >= 0 && !negated && !multiMatch;
  }

  /**
   * The other half, for a negated operator: a value its operator matched before can be passed
   * over, since the rule fires only where the operator fails. Not with {@code capture}, whose
   * match fills TX:0-9 even when the rule does not fire; nor multiMatch. The request line of an
   * API's every request matches 920100's pattern, its Content-Type 920470's.
   */
  boolean skipsRememberedMatches() {
    return verdictSlot >= 0 && negated && !multiMatch && !capture;
  }

  /** Precomputes what the rule loop needs, after every load-time update of the rule. */
  void prepare() {
    targetArray = targets.toArray(new Target[0]);
    exclusionsByTarget = new Target[targets.size()][];
    for (int i = 0; i < targets.size(); i++) {
      String name = targets.get(i).name;
      exclusionsByTarget[i] = exclusions.stream().filter(x -> x.name.equals(name))
          .toArray(Target[]::new);
    }
    if (chained != null) {
      chained.prepare();
    }
  }

  boolean isMarker() {
    return markerName != null;
  }

  boolean hasTag(String tag) {
    for (String t : tags) {
      if (t.equals(tag)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "rule " + id + " (" + (source == null ? "?" : source.where()) + ")";
  }
}
