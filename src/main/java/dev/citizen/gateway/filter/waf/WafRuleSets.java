package dev.citizen.gateway.filter.waf;

import dev.citizen.gateway.waf.engine.RuleSet;
import dev.citizen.gateway.waf.operator.Operator;
import dev.citizen.gateway.waf.seclang.SecLangException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compiled rule sets of one gateway, by {@link WafSettings}: routes with the same settings
 * share one, and a reload that keeps a route's settings reuses it, since loading CRS takes a
 * while. Held by {@code server.EdgeState}; compiled when a config is compiled (at start, and
 * off the event loop on reload), never on the request path.
 *
 * <p>The CRS files are read when a rule set is first compiled: an operator who edits them applies
 * the change with a restart (or a config change that alters the settings).
 */
public final class WafRuleSets {
  private static final Logger LOG = LoggerFactory.getLogger(WafRuleSets.class);

  /** Loads a rule set; the engine's {@code RuleSet.load} in production. */
  @FunctionalInterface
  public interface Loader {
    Inspector load(List<String> before, List<Path> files, List<String> after);
  }

  private final Loader loader;
  private final Map<WafSettings, Inspector> compiled = new ConcurrentHashMap<>();

  public WafRuleSets() {
    this(new ConcurrentHashMap<>());
  }

  /**
   * Routes with different settings get rule sets of their own, but the compiled patterns of the
   * rule files are the same: one map of them serves every rule set of this gateway (a CRS rule
   * set takes ~19 MiB of heap, each further one ~6 MiB with the map, ~19 MiB without). It holds
   * what any config of this process has loaded, a set bounded by the rule files and their edits.
   */
  private WafRuleSets(Map<String, Operator> operators) {
    this((before, files, after) -> RuleSet.load(before, files, after, operators)::evaluate);
  }

  public WafRuleSets(Loader loader) {
    this.loader = loader;
  }

  /**
   * The rule set for {@code settings}, compiled now if no earlier config had them; throws {@link
   * WafLoadException} when the files are missing or the engine refuses a rule.
   */
  public Inspector get(WafSettings settings) {
    Inspector known = compiled.get(settings);
    if (known != null) {
      return known;
    }
    // Not computeIfAbsent: a load takes seconds, and it must not hold a map lock while it does.
    long start = System.nanoTime();
    List<Path> files = WafDirectives.files(settings);
    Inspector loaded;
    try {
      loaded = loader.load(WafDirectives.before(settings), files, WafDirectives.after(settings));
    } catch (SecLangException e) {
      throw new WafLoadException(blame(e.getMessage(), settings), e.getMessage());
    } catch (RuntimeException e) {
      // The engine promises SecLangException; anything else is still a config that cannot serve.
      throw new WafLoadException(blame(e.getMessage(), settings), e.getClass().getSimpleName() + ": "
          + e.getMessage());
    }
    LOG.atInfo().addKeyValue("paranoiaLevel", settings.paranoiaLevel())
        .addKeyValue("blocking", settings.blocking())
        .log("WAF rule set compiled from {} in {} ms", settings.crsDir(), (System.nanoTime() - start) / 1_000_000);
    Inspector raced = compiled.putIfAbsent(settings, loaded);
    return raced != null ? raced : loaded;
  }

  /** Forgets the rule sets no route of the config now serving uses. */
  public void retainOnly(Collection<WafSettings> inUse) {
    compiled.keySet().retainAll(java.util.Set.copyOf(inUse));
  }

  /** How many rule sets are held (tests). */
  int size() {
    return compiled.size();
  }

  /** A rule error in the setup file or the rule files is theirs; else it is the route's (exclusions). */
  static WafLoadException.Setting blame(String message, WafSettings s) {
    String m = message == null ? "" : message;
    if (m.contains(s.crsSetup())) {
      return WafLoadException.Setting.CRS_SETUP;
    }
    if (m.contains(s.crsDir())) {
      return WafLoadException.Setting.CRS_DIR;
    }
    return WafLoadException.Setting.ROUTE;
  }
}
