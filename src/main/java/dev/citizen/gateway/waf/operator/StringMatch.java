package dev.citizen.gateway.waf.operator;

import java.util.function.BiPredicate;

/**
 * The case-sensitive string comparisons: {@code @streq}, {@code @beginsWith}, {@code @endsWith},
 * {@code @contains}, {@code @strmatch}, {@code @containsWord} and {@code @within}. The parameter is
 * expanded per call when it holds macros.
 */
final class StringMatch implements Operator {
  private final MacroText parameter;
  private final BiPredicate<String, String> test; // (input, parameter)
  
  private StringMatch(String parameter, BiPredicate<String, String> test) {
    this.parameter = MacroText.of(parameter);
    this.test = test;
  }

  static StringMatch streq(String p) {
    return new StringMatch(p, String::equals);
  }

  static StringMatch beginsWith(String p) {
    return new StringMatch(p, String::startsWith);
  }

  static StringMatch endsWith(String p) {
    return new StringMatch(p, String::endsWith);
  }

  static StringMatch contains(String p) {
    return new StringMatch(p, String::contains);
  }

  /** ModSecurity's {@code @within}: the value occurs in the parameter (an empty value always does). */
  static StringMatch within(String p) {
    return new StringMatch(p, (input, param) -> param.contains(input));
  }

  /**
   * {@code @containsWord}: the parameter occurs in the value with no letter, digit or underscore
   * right before or after it. An empty parameter always matches.
   */
  static StringMatch containsWord(String p) {
    return new StringMatch(p, StringMatch::containsWord);
  }

  static boolean containsWord(String input, String word) {
    if (word.isEmpty()) {
      return true;
    }
    int from = 0;
    int at;
    while ((at = input.indexOf(word, from)) >= 0) {
      int after = at + word.length();
      if ((at == 0 || !wordChar(input.charAt(at - 1)))
          && (after >= input.length() || !wordChar(input.charAt(after)))) {
        return true;
      }
      from = at + 1;
    }
    return false;
  }

  private static boolean wordChar(char c) {
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  @Override
  public boolean test(OperatorContext ctx, String input) {
    String param = parameter.expand(ctx);
    // No captures: in ModSecurity only @rx, @pm and the detectors set TX.0, and a chained rule
    // may still need the TX.0 an earlier @rx left.
    return test.test(input, param);
  }
}
