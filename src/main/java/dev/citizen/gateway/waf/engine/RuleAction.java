package dev.citizen.gateway.waf.engine;

/** A non-disruptive action with an effect on the transaction (setvar, ctl, skipAfter, ...). */
@FunctionalInterface
interface RuleAction {
  void run(Transaction tx, Rule rule);
}
