package dev.citizen.gateway.accesslog;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what looks like personal data in text that goes to the logs (paths, user agents, header
 * and query values, log messages): each e-mail address becomes {@code [email]}, each phone number
 * {@code [phone]}, each US social security number and each match of a configured pattern
 * {@code [id]}. The placeholders say what kind of value was there and nothing of the value, so a
 * line stays readable ({@code /patients/[email]/notes}) and cannot be unmasked.
 *
 * <p>What counts as a phone number is deliberately narrow, so that the ids a path is full of stay
 * readable: a number starting with {@code +} and a country code (E.164, 7 to 15 digits, spaces,
 * dots or dashes allowed between digits); a North American number written with separators
 * ({@code 555-123-4567}, {@code (555) 123-4567}, {@code 1-800-555-0199}); a national number with
 * a trunk 0 and spaces or dashes ({@code 020 7946 0958}, {@code 0612-345-678}). A run of digits
 * without separators is not a phone number (order numbers and database ids look like that), nor is
 * anything glued to letters or dashes on either side (UUIDs, {@code INV-555-123-4567}), nor a date.
 * SSNs are {@code ddd-dd-dddd} not glued to other digits; other national id formats are added
 * with configured patterns ({@code observability.accessLog.maskPatterns}).
 *
 * <p>Immutable and thread-safe. Cheap when there is nothing to mask, since it runs once per request
 * on the event loop for path, user agent and request id: the e-mail pattern runs only on text with
 * an {@code @}, the number pattern only over runs of at least 7 digits with separators between
 * them; configured patterns run over the whole text (each costs what its regex costs).
 */
public final class PhiMasker {
  public static final String EMAIL = "[email]";
  public static final String PHONE = "[phone]";
  public static final String ID = "[id]";

  /** Only e-mail addresses, SSNs and phone numbers. */
  public static final PhiMasker DEFAULT = new PhiMasker(List.of());

  // A TLD of letters is required, so that Java's Object.toString ("Foo@1b2c3d") is not an address.
  private static final Pattern EMAIL_PATTERN = Pattern.compile(
      "[\\p{L}\\p{N}._%+'-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}");
  private static final String SEPARATE = "(?<![\\p{L}\\p{N}_+.-])";
  private static final String SEPARATE_AFTER = "(?![\\p{L}\\p{N}_-])";
  private static final Pattern NUMBERS = Pattern.compile(
      // group 1: US SSN
      "(?<!\\d)(\\d{3}-\\d{2}-\\d{4})(?!\\d)"
      // group 2: phone numbers
      + "|" + SEPARATE + "("
      + "\\+[1-9](?:[ .-]?\\d){6,14}"
      + "|(?:1[-. ])?(?:\\(\\d{3}\\) ?|\\d{3}[-. ])\\d{3}[-. ]\\d{4}"
      + "|0[1-9]\\d{1,3}[ -]\\d{3,4}[ -]?\\d{3,4}"
      + ")" + SEPARATE_AFTER);
  private static final int MIN_DIGITS = 7;

  private final Pattern[] extra;

  /** @param extra patterns of national ids (or anything else) to mask as {@code [id]}, compiled */
  public PhiMasker(List<Pattern> extra) {
    this.extra = extra.toArray(new Pattern[0]);
  }

  /** Compiles {@code regexes}; throws {@link java.util.regex.PatternSyntaxException} on a bad one. */
  public static PhiMasker of(List<String> regexes) {
    return new PhiMasker(regexes.stream().map(Pattern::compile).toList());
  }

  /** {@code text} with what looks like personal data replaced by placeholders; null stays null. */
  public String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    if (out.indexOf('@') >= 0) {
      out = replace(EMAIL_PATTERN.matcher(out), out);
    }
    out = maskNumbers(out);
    for (Pattern p : extra) {
      out = replace(p.matcher(out), out);
    }
    return out;
  }

  /** {@link #mask} of the percent-decoded text, so that {@code %40} cannot hide an address. */
  public String maskDecoded(String text) {
    return mask(PercentDecoding.decode(text));
  }

  private String replace(Matcher m, String text) {
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    do {
      if (m.end() == m.start()) {
        continue; // a configured pattern that matches the empty string masks nothing
      }
      out.append(text, from, m.start()).append(placeholder(m));
      from = m.end();
    } while (m.find());
    return out.append(text, from, text.length()).toString();
  }

  private static String placeholder(Matcher m) {
    if (m.pattern() == EMAIL_PATTERN) {
      return EMAIL;
    }
    return ID;
  }

  /**
   * Runs {@link #NUMBERS} only over the spans of digits and separators ({@code 0-9 + - . ( )} and
   * space) that hold at least 7 digits: every SSN or phone number lies within one such span, and
   * most text has none, so the pattern (costly when tried at every position of a browser's user
   * agent) runs over a few characters, if at all. Transparent bounds let its look-arounds see the
   * characters around a span.
   */
  private static String maskNumbers(String text) {
    Matcher m = null;
    StringBuilder out = null;
    int copied = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (!isNumberChar(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      int digits = 0;
      for (char c; i < n && isNumberChar(c = text.charAt(i)); i++) {
        if (c >= '0' && c <= '9') {
          digits++;
        }
      }
      // Every form above has a separator (+ - . ( ) or space) among its digits, so a span of bare
      // digits (ids, hex request ids) is skipped without running the pattern.
      if (digits < MIN_DIGITS || digits == i - start) {
        continue;
      }
      if (m == null) {
        m = NUMBERS.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
      }
      m.region(start, i);
      while (m.find()) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(text, copied, m.start()).append(m.group(2) != null ? PHONE : ID);
        copied = m.end();
      }
    }
    return out == null ? text : out.append(text, copied, n).toString();
  }

  private static boolean isNumberChar(char c) {
    return (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '.' || c == '+' || c == '(' || c == ')';
  }
}
