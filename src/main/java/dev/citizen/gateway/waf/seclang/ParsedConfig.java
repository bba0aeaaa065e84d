package dev.citizen.gateway.waf.seclang;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the directives said, in the order they said it: the rules, the per-phase default
 * actions, the exclusions ({@code SecRuleRemove*}, {@code SecRuleUpdate*}) and the engine settings.
 * ModSecurity v3 applies exclusions to every rule whatever the directive order, and so does the
 * engine that compiles this.
 */
public final class ParsedConfig {

  /** {@code SecRuleUpdateTargetById/ByTag}: extra targets or exclusions for matching rules. */
  public record TargetUpdate(long fromId, long toId, String tag, List<VariableSpec> targets, String where) {}

  /** {@code SecRuleUpdateActionById}. */
  public record ActionUpdate(int id, List<ActionSpec> actions, String where) {}

  public final List<RuleDef> rules = new ArrayList<>();
  public final Map<Integer, List<ActionSpec>> defaultActions = new HashMap<>();
  public final List<long[]> removedIdRanges = new ArrayList<>();
  public final List<String> removedTags = new ArrayList<>();
  public final List<String> removedMsgs = new ArrayList<>();
  public final List<TargetUpdate> targetUpdates = new ArrayList<>();
  public final List<ActionUpdate> actionUpdates = new ArrayList<>();
  public final List<String> componentSignatures = new ArrayList<>();

  /** {@code On}, {@code DetectionOnly} or {@code Off} (default On, like ModSecurity v3). */
  public String ruleEngine = "On";
  public boolean requestBodyAccess = true;
  public boolean responseBodyAccess;
  public long requestBodyLimit = 13_107_200;
  public long requestBodyNoFilesLimit = 1_048_576;
  /** {@code Reject} or {@code ProcessPartial}. */
  public String requestBodyLimitAction = "Reject";
  public char argumentSeparator = '&';
  public long collectionTimeoutSeconds = 3600;
  public int argumentsLimit;
}
