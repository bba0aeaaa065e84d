package dev.citizen.gateway.waf.operator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code @verifyCC regex}: finds candidates with the regex and matches on the first whose digits
 * pass the Luhn checksum (non-digits inside a candidate, such as spaces or dashes, are skipped, as
 * in ModSecurity). With {@code capture}, {@code TX.0} is the candidate.
 */
final class VerifyCreditCard implements Operator {
  private final Pattern pattern;

  VerifyCreditCard(String parameter) {
    this.pattern = Regex.compileOrThrow(parameter);
  }

  @Override
  public boolean test(OperatorContext ctx, String input) {
    Matcher m = pattern.matcher(input);
    while (m.find()) {
      String candidate = m.group();
      if (luhn(candidate)) {
        if (ctx.capturing()) {
          ctx.capture(0, candidate);
        }
        return true;
      }
      if (m.end() == m.start() && m.end() >= input.length()) {
        break;
      }
    }
    return false;
  }

  static boolean luhn(String s) {
    int sum = 0;
    int digits = 0;
    for (int i = s.length() - 1; i >= 0; i--) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (digits % 2 == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      digits++;
    }
    return digits > 0 && sum % 10 == 0;
  }
}
