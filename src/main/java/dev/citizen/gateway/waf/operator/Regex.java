package dev.citizen.gateway.waf.operator;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code @rx}: a PCRE pattern translated once to Java ({@link PcreTranslator}), searched (not
 * anchored) in the value. With {@code capture}, group 0 and groups 1..9 become {@code TX.0}..{@code
 * TX.9} (a group that took no part in the match is recorded as empty).
 *
 * <p>Like PCRE's match limit in ModSecurity, a search that needs too many steps is abandoned and
 * counts as no match, so that one crafted value cannot hold a worker for seconds (catastrophic
 * backtracking); as in ModSecurity, {@code TX:MSC_PCRE_LIMITS_EXCEEDED} is then set
 * ({@link OperatorContext#limitsExceeded}), so that padding a payload until a pattern gives up
 * can be caught by a rule instead of passing as clean. The budget is counted in character reads, {@link #BUDGET_PER_CHAR} per input
 * character with a floor of {@link #MIN_BUDGET}.
 */
final class Regex implements Operator {
  private static final Logger LOG = LoggerFactory.getLogger(Regex.class);

  static final long MIN_BUDGET = 1_000_000;
  static final long BUDGET_PER_CHAR = 1_000;

  private final String source;
  private final Pattern pattern; // null when the parameter has macros
  private final MacroText parameter;
  private final char[] required;
  /** One of these literals occurs in every match ({@link RequiredLiterals}); null if unknown. */
  private final AhoCorasick requiredLiterals;
  private final List<String> literals;
  /** Where a match can begin ({@link StartSet}); null to let {@code find} try every position. */
  private final StartSet start;

  /**
   * The last pattern compiled from an expanded parameter. CRS's one macro pattern ({@code
   * ^%{tx.allowed_request_content_type_charset}$}) expands to the same text on every request, so
   * one entry saves a compile per request.
   */
  private volatile Expanded lastExpanded;

  private record Expanded(String text, Pattern pattern) {}

  /**
   * Each thread's matcher of {@link #pattern}, over a reusable budgeted view of the input: a new
   * {@code Matcher} (with its group arrays) and view per search were ~6% of what an evaluation
   * allocates. Null when the parameter has macros. A reload's new rule set brings new ones; the
   * old set's go stale with it (a thread's map holds its ThreadLocals weakly) and are cleared as
   * the thread goes on using the new ones.
   */
  private final ThreadLocal<Search> searches;

  private record Search(BudgetedChars chars, Matcher matcher) {}

  Regex(String parameter) {
    this.parameter = MacroText.of(parameter);
    this.source = parameter;
    this.pattern = this.parameter.hasMacros() ? null : compileOrThrow(parameter);
    this.required = this.parameter.hasMacros() ? new char[0] : RequiredChars.of(parameter);
    RequiredLiterals.Analysis analysis = pattern == null ? RequiredLiterals.Analysis.NONE
        : RequiredLiterals.analyse(pattern.pattern());
    this.literals = analysis.literals();
    this.requiredLiterals = literals == null ? null : new AhoCorasick(literals);
    this.start = analysis.start();
    Pattern p = pattern;
    this.searches = p == null ? null : ThreadLocal.withInitial(() -> {
      BudgetedChars chars = new BudgetedChars("", 0);
      return new Search(chars, p.matcher(chars));
    });
  }

  /**
   * Whether the value may hold a match: false when a prefilter proves it cannot. The required
   * characters go first: a few vectorised indexOf calls, cheaper than the automaton's pass.
   */
  private boolean mayMatch(String input) {
    return RequiredChars.presentIn(required, input)
        && (requiredLiterals == null || requiredLiterals.find(input) != null);
  }

  static Pattern compileOrThrow(String pcre) {
    try {
      return PcreTranslator.compile(pcre);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("@rx: cannot compile " + abbreviate(pcre) + ": " + e.getMessage(), e);
    }
  }

  Pattern pattern() {
    return pattern;
  }

  /** The required literals ({@link RequiredLiterals}), or null. */
  List<String> literals() {
    return literals;
  }

  /** Whether a required-literal prefilter guards this pattern (for tests). */
  boolean hasLiteralPrefilter() {
    return requiredLiterals != null;
  }

  /** Whether the search tries only the positions where a match can begin (for tests). */
  boolean hasStartSet() {
    return start != null;
  }

  /** The plain search, without prefilters: what {@link #test} must agree with (for tests). */
  Outcome unfilteredOutcome(String input) {
    try {
      return pattern.matcher(new BudgetedChars(input, Math.max(MIN_BUDGET, BUDGET_PER_CHAR * input.length()))).find()
          ? Outcome.MATCH
          : Outcome.NO_MATCH;
    } catch (BudgetedChars.Exhausted e) {
      return Outcome.BUDGET_EXHAUSTED;
    } catch (StackOverflowError e) {
      return Outcome.STACK_OVERFLOW;
    }
  }

  @Override
  public boolean test(OperatorContext ctx, String input) {
    // The shared index found one of the required literals, but the required characters are a
    // separate condition: 933160's hundreds of PHP function names occur in plain words ("sort",
    // "exec"), its "(" and ")" rarely do, and each of its searches costs microseconds.
    if (ctx.literalFound() ? !RequiredChars.presentIn(required, input) : !mayMatch(input)) {
      return false;
    }
    long budget = Math.max(MIN_BUDGET, BUDGET_PER_CHAR * input.length());
    Search search = searches == null ? null : searches.get();
    BudgetedChars chars = search != null ? search.chars().reset(input, budget) : new BudgetedChars(input, budget);
    Matcher m = search != null ? search.matcher().reset(chars) : expanded(ctx).matcher(chars);
    try {
      if (!(start == null ? m.find() : start.find(m, input))) {
        return false;
      }
      if (ctx.capturing()) {
        int groups = Math.min(9, m.groupCount());
        for (int g = 0; g <= groups; g++) {
          int from = m.start(g);
          ctx.capture(g, from < 0 ? "" : input.substring(from, m.end(g)));
        }
      }
      return true;
    } catch (BudgetedChars.Exhausted e) {
      LOG.warn("@rx gave up after its step budget (no match; TX:MSC_PCRE_LIMITS_EXCEEDED set): pattern {}, "
          + "input length {}", abbreviate(source), input.length());
      ctx.limitsExceeded();
      return false;
    } catch (StackOverflowError e) {
      // java.util.regex recurses once per repetition of a group with alternatives, so a long
      // value can overflow the thread's stack where PCRE would have run out of match limit.
      // Both end the same way in ModSecurity: the rule does not match.
      LOG.warn("@rx overflowed the thread stack (no match; TX:MSC_PCRE_LIMITS_EXCEEDED set): pattern {}, "
          + "input length {}", abbreviate(source), input.length());
      ctx.limitsExceeded();
      return false;
    } finally {
      // The thread's view lets go of the value, so no request's data waits in it for the next.
      chars.reset("", 0);
    }
  }

  private Pattern expanded(OperatorContext ctx) {
    String text = parameter.expand(ctx);
    Expanded last = lastExpanded;
    if (last != null && last.text().equals(text)) {
      return last.pattern();
    }
    Pattern p = compileOrThrow(text);
    lastExpanded = new Expanded(text, p);
    return p;
  }

  /** How a search ended, for tests of pathological patterns. */
  enum Outcome { MATCH, NO_MATCH, BUDGET_EXHAUSTED, STACK_OVERFLOW }

  /** How {@link #test}'s search ends, prefilters and start set included (for tests). */
  Outcome outcome(String input) {
    if (!mayMatch(input)) {
      return Outcome.NO_MATCH;
    }
    try {
      return filteredMatch(input) != null ? Outcome.MATCH : Outcome.NO_MATCH;
    } catch (BudgetedChars.Exhausted e) {
      return Outcome.BUDGET_EXHAUSTED;
    } catch (StackOverflowError e) {
      return Outcome.STACK_OVERFLOW;
    }
  }

  /** The matcher after {@link #test}'s search found a match, or null (for tests). */
  Matcher filteredMatch(String input) {
    Matcher m = pattern.matcher(new BudgetedChars(input, Math.max(MIN_BUDGET, BUDGET_PER_CHAR * input.length())));
    return (start == null ? m.find() : start.find(m, input)) ? m : null;
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** A CharSequence that counts reads and stops the regex engine when the budget is spent. */
  static final class BudgetedChars implements CharSequence {
    static final class Exhausted extends RuntimeException {
      Exhausted() {
        super("regex step budget exhausted", null, false, false);
      }
    }

    private String s;
    private long budget;

    BudgetedChars(String s, long budget) {
      this.s = s;
      this.budget = budget;
    }

    /** This view over {@code s} with a fresh budget (a matcher over it must be reset after). */
    BudgetedChars reset(String s, long budget) {
      this.s = s;
      this.budget = budget;
      return this;
    }

    @Override
    public char charAt(int index) {
      if (--budget < 0) {
        throw new Exhausted();
      }
      return s.charAt(index);
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return s.subSequence(start, end);
    }

    @Override
    public String toString() {
      return s;
    }
  }
}
