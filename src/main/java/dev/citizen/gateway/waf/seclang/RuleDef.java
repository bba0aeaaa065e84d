package dev.citizen.gateway.waf.seclang;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule as written: {@code SecRule}, {@code SecAction} or {@code SecMarker}, with the rules
 * chained to it. Compiled by the engine into an executable rule.
 */
public final class RuleDef {

  /** What directive made the rule. */
  public enum Kind { RULE, ACTION, MARKER }

  private final SourceLine source;
  private final Kind kind;
  private final List<VariableSpec> variables;
  private final String operatorName;
  private final String operatorParam;
  private final boolean operatorNegated;
  private List<ActionSpec> actions;
  private final String markerName;
  private final List<RuleDef> chain = new ArrayList<>();

  RuleDef(SourceLine source, Kind kind, List<VariableSpec> variables, String operatorName,
      String operatorParam, boolean operatorNegated, List<ActionSpec> actions, String markerName) {
    this.source = source;
    this.kind = kind;
    this.variables = List.copyOf(variables);
    this.operatorName = operatorName;
    this.operatorParam = operatorParam;
    this.operatorNegated = operatorNegated;
    this.actions = new ArrayList<>(actions);
    this.markerName = markerName;
  }

  public SourceLine source() {
    return source;
  }

  public Kind kind() {
    return kind;
  }

  public List<VariableSpec> variables() {
    return variables;
  }

  /** The operator name without {@code @} ({@code rx} when the rule names none), or null. */
  public String operatorName() {
    return operatorName;
  }

  public String operatorParam() {
    return operatorParam;
  }

  public boolean operatorNegated() {
    return operatorNegated;
  }

  public List<ActionSpec> actions() {
    return actions;
  }

  public String markerName() {
    return markerName;
  }

  /** The rules chained after this one, in order (only on a chain's first rule). */
  public List<RuleDef> chain() {
    return chain;
  }

  /** The value of the first action named {@code name}, or null. */
  public String action(String name) {
    for (ActionSpec a : actions) {
      if (a.name().equals(name)) {
        return a.value() == null ? "" : a.value();
      }
    }
    return null;
  }

  public boolean hasAction(String name) {
    return action(name) != null;
  }

  /** The rule id, or 0 for a chained rule or a marker. */
  public int id() {
    String id = action("id");
    if (id == null) {
      return 0;
    }
    try {
      return Integer.parseInt(id.strip());
    } catch (NumberFormatException e) {
      throw new SecLangException(source.where(), "id is not a number: " + id);
    }
  }

  /** {@code SecRuleUpdateActionById}: actions named again replace the old ones. */
  public void updateActions(List<ActionSpec> update) {
    List<ActionSpec> merged = new ArrayList<>();
    for (ActionSpec old : actions) {
      boolean replaced = false;
      for (ActionSpec u : update) {
        if (u.name().equals(old.name()) && !isAdditive(u.name())) {
          replaced = true;
        }
        if (isDisruptive(u.name()) && isDisruptive(old.name())) {
          replaced = true;
        }
      }
      if (!replaced) {
        merged.add(old);
      }
    }
    merged.addAll(update);
    actions = merged;
  }

  private static boolean isAdditive(String name) {
    return switch (name) {
      case "setvar", "tag", "t", "ctl", "initcol", "expirevar", "setenv" -> true;
      default -> false;
    };
  }

  static boolean isDisruptive(String name) {
    return switch (name) {
      case "deny", "drop", "pass", "allow", "block", "redirect", "proxy" -> true;
      default -> false;
    };
  }
}
