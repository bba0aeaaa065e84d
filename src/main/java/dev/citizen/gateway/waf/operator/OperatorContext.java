package dev.citizen.gateway.waf.operator;

/** What an operator may ask of the transaction that runs it. */
public interface OperatorContext {

  /** Expands macros such as {@code %{tx.allowed_methods}} or {@code %{REQUEST_HEADERS.host}}. */
  String expand(String text);

  /** True when the rule has the {@code capture} action: only then are captures recorded. */
  boolean capturing();

  /** Records capture group {@code index} (0..9) as {@code TX.index}; called only when capturing. */
  void capture(int index, String value);

  /**
   * The operator gave up on a value (a pattern ran out of its step budget or of stack), so the
   * value was not really inspected. As ModSecurity does when PCRE's limits are hit, the
   * transaction then sets {@code TX:MSC_PCRE_LIMITS_EXCEEDED}, which rules can act on.
   */
  default void limitsExceeded() {
  }

  /**
   * True when the caller already found one of this operator's required literals in the input
   * ({@link LiteralIndex}), so that its own prefilter would only repeat the scan.
   */
  default boolean literalFound() {
    return false;
  }
}
