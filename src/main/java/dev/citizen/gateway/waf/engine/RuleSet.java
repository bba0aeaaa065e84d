package dev.citizen.gateway.waf.engine;

import dev.citizen.gateway.waf.operator.LiteralIndex;
import dev.citizen.gateway.waf.operator.Operator;
import dev.citizen.gateway.waf.seclang.ParsedConfig;
import dev.citizen.gateway.waf.seclang.SecLangException;
import dev.citizen.gateway.waf.seclang.SecLangParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A loaded, compiled SecLang rule set (e.g. the OWASP CRS): parsed and compiled once, then shared
 * by every request. Thread-safe: each {@link #evaluate} runs its own transaction; only the
 * persistent IP/GLOBAL collections are shared.
 */
public final class RuleSet {

  private final ParsedConfig config;
  private final List<Rule>[] phases;
  /** The same rules as arrays, for the rule loop. */
  private final Rule[][] phaseArrays;
  /** Per phase: marker name → the indexes where it stands, ascending (skipAfter jumps there). */
  private final Map<String, int[]>[] markerIndexes;
  private final EngineMode mode;
  private final PersistentStore store;
  private final ConcurrentHashMap<String, Macro> macros = new ConcurrentHashMap<>();
  /** One more than the highest transformation pipeline prefix id of any rule. */
  private final int pipelineCount;
  private final LiteralIndex literals;
  private final int selectionCount;
  /** How many rule links have a {@link Rule#verdictSlot}. */
  private final int verdictCount;
  /** One more than the highest transformation id ({@link Rule#transformationIds}). */
  private final int transformationCount;
  /** For each pipeline prefix id: a rule link whose pipeline has it, and how many steps it is. */
  private final Rule[] prefixRules;
  private final int[] prefixSteps;
  /**
   * Per selection, a bit per pipeline prefix whose union of literal bits some transaction asked
   * for ({@link Transaction}'s selectionHits builds them together). Bits are only ever set; a
   * transaction that reads a stale word builds fewer unions at once, never different ones.
   */
  private final AtomicLongArray learnedPrefixes;
  private final int prefixWords;
  /** What the rules made of recurring values, kept across transactions. */
  private final ValueMemoCache valueMemos = new ValueMemoCache();

  private RuleSet(ParsedConfig config, List<Rule>[] phases) {
    this.config = config;
    this.phases = phases;
    this.phaseArrays = new Rule[phases.length][];
    this.markerIndexes = markerIndexes(phases, phaseArrays);
    this.mode = EngineMode.parse(config.ruleEngine);
    this.store = new PersistentStore(config.collectionTimeoutSeconds);
    int max = 0;
    int maxTransformation = 0;
    List<Operator> operators = new ArrayList<>();
    for (List<Rule> phase : phases) {
      for (Rule r : phase) {
        for (Rule link = r; link != null; link = link.chained) {
          for (int id : link.pipelineIds) {
            max = Math.max(max, id);
          }
          for (int id : link.transformationIds) {
            maxTransformation = Math.max(maxTransformation, id);
          }
          if (link.operator != null) {
            operators.add(link.operator);
          }
        }
      }
    }
    this.pipelineCount = max + 1;
    this.transformationCount = maxTransformation + 1;
    this.literals = LiteralIndex.of(operators);
    Map<String, Integer> selections = new HashMap<>();
    int verdicts = 0;
    for (List<Rule> phase : phases) {
      for (Rule r : phase) {
        for (Rule link = r; link != null; link = link.chained) {
          link.literalSlot = link.operator == null ? -1 : literals.slot(link.operator);
          link.skippableByLiterals = skippableByLiterals(link);
          // A negated multiMatch rule matches when any step fails: no single verdict per value.
          link.verdictSlot = link.textOnlyOperator && !(link.multiMatch && link.negated) ? verdicts++ : -1;
          if (link.skippableByLiterals) {
            link.selectionIds = new int[link.targetArray.length];
            for (int t = 0; t < link.targetArray.length; t++) {
              link.selectionIds[t] = link.targetArray[t].kind != Target.Kind.KEYED ? -1
                  : selections.computeIfAbsent(selection(link, t), k -> selections.size());
            }
          }
        }
      }
    }
    this.selectionCount = selections.size();
    this.verdictCount = verdicts;
    this.prefixRules = new Rule[pipelineCount];
    this.prefixSteps = new int[pipelineCount];
    for (List<Rule> phase : phases) {
      for (Rule r : phase) {
        for (Rule link = r; link != null; link = link.chained) {
          for (int i = 0; i < link.pipelineIds.length; i++) {
            if (prefixRules[link.pipelineIds[i]] == null) {
              prefixRules[link.pipelineIds[i]] = link;
              prefixSteps[link.pipelineIds[i]] = i + 1;
            }
          }
        }
      }
    }
    this.prefixWords = (pipelineCount + 63) >>> 6;
    this.learnedPrefixes = new AtomicLongArray(Math.max(1, selectionCount * prefixWords));
  }

  /** A rule's selector {@code t} with its own exclusions on it, as text (equal text, equal values). */
  private static String selection(Rule rule, int t) {
    StringBuilder b = new StringBuilder();
    for (Target x : rule.exclusionsByTarget[t]) {
      b.append('!').append(describe(x)).append('\n');
    }
    return b.append(describe(rule.targetArray[t])).toString();
  }

  private static String describe(Target t) {
    return t.name + '\u0000' + t.key + '\u0000' + (t.regex == null ? "" : t.regex.pattern());
  }

  private static boolean skippableByLiterals(Rule rule) {
    if (rule.literalSlot < 0 || rule.negated || rule.targetArray.length == 0) {
      return false;
    }
    // Scalars too (REQUEST_FILENAME, REQUEST_URI, REQUEST_BODY): one value each, scanned on its
    // own, so that the rules that name one beside ARGS (the PHP, Java, XSS and traversal rules,
    // 13 of them at paranoia level 1) skip the way ARGS-only rules do.
    for (Target t : rule.targetArray) {
      boolean scannable = t.kind == Target.Kind.KEYED || t.kind == Target.Kind.XML || t.kind == Target.Kind.SCALAR;
      if (!scannable || t.counted) {
        return false;
      }
    }
    return true;
  }

  /**
   * Loads rules: {@code before} directive lines, then the files in order (each may hold
   * {@code Include} with globs; a glob in a file name's last component is expanded too), then
   * {@code after} directive lines.
   *
   * @throws SecLangException naming file:line for anything that cannot be parsed or compiled
   */
  public static RuleSet load(List<String> before, List<Path> files, List<String> after) {
    return load(before, files, after, new ConcurrentHashMap<>());
  }

  /**
   * As {@link #load(List, List, List)}, taking operators whose meaning is all in their parameter
   * ({@code @rx}, {@code @pm}, comparisons) from {@code sharedOperators} and adding the ones it
   * compiles: rule sets loaded with one map (a gateway's, for routes with different WAF settings)
   * share their compiled patterns, which are most of a CRS rule set's memory. Operators are
   * immutable, so sharing them between rule sets and threads is safe.
   */
  public static RuleSet load(List<String> before, List<Path> files, List<String> after,
      Map<String, Operator> sharedOperators) {
    SecLangParser parser = new SecLangParser();
    parser.parseLines(before, "before");
    if (files != null) {
      for (Path f : files) {
        parser.parseFile(f);
      }
    }
    parser.parseLines(after, "after");
    ParsedConfig config = parser.config();
    List<Rule>[] phases = new RuleCompiler(config, sharedOperators).compile();
    for (int i = 0; i < phases.length; i++) {
      phases[i] = List.copyOf(phases[i]);
    }
    return new RuleSet(config, phases);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, int[]>[] markerIndexes(List<Rule>[] phases, Rule[][] arrays) {
    Map<String, int[]>[] out = new Map[phases.length];
    for (int p = 0; p < phases.length; p++) {
      arrays[p] = phases[p].toArray(new Rule[0]);
      Map<String, List<Integer>> at = new HashMap<>();
      for (int i = 0; i < arrays[p].length; i++) {
        if (arrays[p][i].isMarker()) {
          at.computeIfAbsent(arrays[p][i].markerName, k -> new ArrayList<>()).add(i);
        }
      }
      Map<String, int[]> m = new HashMap<>();
      at.forEach((name, list) -> m.put(name, list.stream().mapToInt(Integer::intValue).toArray()));
      out[p] = m;
      for (int i = 0; i < arrays[p].length; i++) {
        landing(arrays[p][i], m, i);
      }
    }
    return out;
  }

  /** Where a rule's skipAfter lands in its phase, so the jump costs no lookup at run time. */
  private static void landing(Rule rule, Map<String, int[]> markers, int index) {
    String marker = null;
    for (Rule link = rule; link != null; link = link.chained) {
      for (RuleAction a : link.afterMatch) {
        if (a instanceof ActionCompiler.SkipAfter s) {
          if (marker != null && marker != s.marker()) {
            return;
          }
          marker = s.marker();
        }
      }
    }
    int[] at = marker == null ? null : markers.get(marker);
    if (at == null) {
      return;
    }
    for (int i : at) {
      if (i > index) {
        rule.skipAfterMarker = marker;
        rule.skipAfterLanding = i + 1;
        return;
      }
    }
  }

  /** Runs phases 1 (request headers) and 2 (request body) over one request. */
  public WafOutcome evaluate(WafRequest request) {
    return new Transaction(this, request).run();
  }

  /** {@code SecRuleEngine} as configured. */
  public EngineMode mode() {
    return mode;
  }

  /** How many rules (chains count once, markers not at all) each phase 1..5 holds. */
  public int ruleCount(int phase) {
    int n = 0;
    for (Rule r : phases[phase]) {
      if (!r.isMarker()) {
        n++;
      }
    }
    return n;
  }

  /** The component signatures ({@code SecComponentSignature}), e.g. {@code OWASP_CRS/3.3.4}. */
  public List<String> componentSignatures() {
    return List.copyOf(config.componentSignatures);
  }

  ParsedConfig config() {
    return config;
  }

  List<Rule> phase(int phase) {
    return phases[phase];
  }

  Rule[] phaseArray(int phase) {
    return phaseArrays[phase];
  }

  /**
   * The index of the first marker called {@code name} at or after {@code from} in a phase, or -1:
   * where a skipAfter lands, found without walking the rules in between.
   */
  int nextMarker(int phase, String name, int from) {
    int[] at = markerIndexes[phase].get(name);
    if (at != null) {
      for (int i : at) {
        if (i >= from) {
          return i;
        }
      }
    }
    return -1;
  }

  /** How many rule links have a {@link Rule#verdictSlot}. */
  int verdictCount() {
    return verdictCount;
  }

  /** Notes that a transaction asked for the union of {@code selection}'s values after {@code prefix}. */
  void learnPrefix(int selection, int prefix) {
    int i = selection * prefixWords + (prefix >>> 6);
    long bit = 1L << prefix;
    if ((learnedPrefixes.get(i) & bit) == 0) {
      learnedPrefixes.getAndAccumulate(i, bit, (a, b) -> a | b);
    }
  }

  /** Word {@code w} of the prefixes learnt for {@code selection} ({@link #learnPrefix}). */
  long learnedPrefixes(int selection, int w) {
    return learnedPrefixes.get(selection * prefixWords + w);
  }

  int prefixWords() {
    return prefixWords;
  }

  /** A rule link whose pipeline has prefix {@code id} (null for 0, the value itself). */
  Rule prefixRule(int id) {
    return prefixRules[id];
  }

  /** How many transformations prefix {@code id} is (0 for the value itself). */
  int prefixSteps(int id) {
    return prefixSteps[id];
  }

  /** How many distinct selections ({@link Rule#selectionIds}) the rules have. */
  int selectionCount() {
    return selectionCount;
  }

  int transformationCount() {
    return transformationCount;
  }

  int pipelineCount() {
    return pipelineCount;
  }

  LiteralIndex literals() {
    return literals;
  }

  ValueMemoCache valueMemos() {
    return valueMemos;
  }

  PersistentStore store() {
    return store;
  }

  /** Macros an operator expands at run time, compiled once per distinct text. */
  Macro macro(String text) {
    Macro m = macros.get(text);
    if (m == null) {
      m = Macro.compile(text);
      if (macros.size() < 10_000) {
        macros.put(text, m);
      }
    }
    return m;
  }
}
