package dev.citizen.gateway.waf.operator;


/**
 * {@code @eq}, {@code @ge}, {@code @gt}, {@code @le}, {@code @lt}: both sides read as integers the
 * way C's {@code atoi} does (leading blanks, a sign, then digits up to the first other byte), so a
 * value that is not a number counts as 0, as in ModSecurity; out-of-range numbers also count as 0,
 * as with v3's {@code std::stoi}.
 */
final class NumericCompare implements Operator {
  private final MacroText parameter;
  private final Integer constant; // the parsed parameter when it has no macros
  private final Comparison comparison;

  enum Comparison {
    EQ, GE, GT, LE, LT;

    boolean holds(int input, int param) {
      return switch (this) {
        case EQ -> input == param;
        case GE -> input >= param;
        case GT -> input > param;
        case LE -> input <= param;
        case LT -> input < param;
      };
    }
  }

  NumericCompare(String parameter, Comparison comparison) {
    this.parameter = MacroText.of(parameter);
    this.constant = this.parameter.hasMacros() ? null : atoi(parameter);
    this.comparison = comparison;
  }

  @Override
  public boolean test(OperatorContext ctx, String input) {
    int param = constant != null ? constant : atoi(parameter.expand(ctx));
    return comparison.holds(atoi(input), param);
  }

  static int atoi(String s) {
    int i = 0;
    int n = s.length();
    while (i < n && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
      i++;
    }
    boolean negative = false;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    long value = 0;
    int digits = 0;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      value = value * 10 + (s.charAt(i) - '0');
      i++;
      if (++digits > 10) {
        return 0;
      }
    }
    value = negative ? -value : value;
    if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
      return 0;
    }
    return (int) value;
  }

}
