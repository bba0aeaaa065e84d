package dev.citizen.gateway.waf.operator;

/**
 * One compiled SecLang operator ({@code @rx ...}, {@code @pm ...}): built once when the rules load,
 * then tested against many values. Thread-safe. Negation ({@code !@rx}) is the engine's business,
 * not the operator's.
 */
@FunctionalInterface
public interface Operator {

  /**
   * @param ctx the transaction, for macro expansion in the parameter ({@code @eq
   *     %{tx.inbound_anomaly_score_threshold}}) and for captures ({@code TX:0}..{@code TX:9})
   * @param input the (transformed) value, a byte string
   * @return whether the operator matches
   */
  boolean test(OperatorContext ctx, String input);
}
