package dev.citizen.gateway.waf.operator;

/**
 * An operator parameter that may hold macros ({@code %{tx.allowed_methods}}). Without macros it is
 * parsed once at compile time; with them it is expanded through the transaction on every test.
 */
record MacroText(String raw, boolean hasMacros) {

  static MacroText of(String raw) {
    return new MacroText(raw, raw.contains("%{"));
  }

  String expand(OperatorContext ctx) {
    return hasMacros ? ctx.expand(raw) : raw;
  }
}
