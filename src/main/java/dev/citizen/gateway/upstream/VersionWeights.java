package dev.citizen.gateway.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The traffic split between a service's versions, as the admin API and automatic rollback change
 * it. The weights themselves live in the {@link Version}s (shared with later snapshots while the
 * file's weights stay the same); this class holds the rules for changing them.
 */
final class VersionWeights {
  private static final Logger LOG = LoggerFactory.getLogger(Service.class);

  private final String service;
  private final Version[] versions;
  private final Map<String, Version> versionsByName;
  private final Version primary;

  VersionWeights(String service, Version[] versions, Map<String, Version> versionsByName, Version primary) {
    this.service = service;
    this.versions = versions;
    this.versionsByName = versionsByName;
    this.primary = primary;
  }

  /**
   * Automatic rollback: the version goes to weight 0; and if the primary has none (after a
   * promotion), it gets its file weight back (at least 1), since it is where traffic falls back to.
   */
  static void rollBack(String service, Version v, Version primary, String why) {
    int before = v.weight.getAndSet(0);
    if (before > 0) {
      LOG.warn("service {}: version {} rolled back automatically ({}); weight {} -> 0", service, v.name(), why,
          before);
    }
    int restored = Math.max(1, primary.configuredWeight());
    if (primary.weight.compareAndSet(0, restored)) {
      LOG.warn("service {}: primary version {} had weight 0; weight 0 -> {} after the rollback of {}", service,
          primary.name(), restored, v.name());
    }
  }

  /**
   * Admin API: sets the weights of the named versions (others keep theirs). Checks everything
   * first and throws {@link IllegalArgumentException} with the reason, changing nothing, for an
   * unknown version, a weight out of 0..1000 or every weight 0. A watched version given traffic
   * again gets a fresh rollback window.
   */
  synchronized void set(Map<String, Integer> weights, String why) {
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("no weights given (expected: version names with weights, e.g. "
          + versionsByName.keySet() + ")");
    }
    for (Map.Entry<String, Integer> e : weights.entrySet()) {
      if (!versionsByName.containsKey(e.getKey())) {
        throw new IllegalArgumentException("no version \"" + e.getKey() + "\" (versions: "
            + versionsByName.keySet() + ")");
      }
      Integer w = e.getValue();
      if (w == null || w < 0 || w > 1000) {
        throw new IllegalArgumentException("weight of " + e.getKey() + ": " + w + " (expected: 0..1000)");
      }
    }
    int total = 0;
    for (Version v : versions) {
      total += weights.getOrDefault(v.name(), v.weight());
    }
    if (total == 0) {
      throw new IllegalArgumentException("every weight would be 0 (expected: at least one version with a weight)");
    }
    Map<String, Integer> before = current();
    for (Map.Entry<String, Integer> e : weights.entrySet()) {
      Version v = versionsByName.get(e.getKey());
      CircuitBreaker d = v.rollbackDetector;
      // Reset before the weight goes up, so no call of the new traffic lands in the old window;
      // only a version coming back (from 0, or tripped) is reset: a plain shift keeps its window.
      if (e.getValue() > 0 && d != null && (v.weight() == 0 || d.getState() != CircuitBreaker.State.CLOSED)) {
        d.reset();
      }
      v.weight.set(e.getValue());
    }
    LOG.info("service {}: weights {} -> {} (admin: {})", service, before, current(), why);
  }

  /** Admin API: the named version gets all traffic (100, the others 0). */
  synchronized void promote(String version) {
    if (!versionsByName.containsKey(version)) {
      throw new IllegalArgumentException("no version \"" + version + "\" (versions: " + versionsByName.keySet() + ")");
    }
    Map<String, Integer> w = new LinkedHashMap<>();
    for (Version v : versions) {
      w.put(v.name(), v.name().equals(version) ? 100 : 0);
    }
    set(w, "promote " + version);
  }

  /** Admin API: every version but the primary goes to weight 0; the primary keeps its weight, or gets its file's (at least 1). */
  synchronized void rollBackAll() {
    Map<String, Integer> w = new LinkedHashMap<>();
    for (Version v : versions) {
      w.put(v.name(), v == primary ? (v.weight() > 0 ? v.weight() : Math.max(1, v.configuredWeight())) : 0);
    }
    set(w, "rollback");
  }

  /** The weights in force, by version name. */
  Map<String, Integer> current() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Version v : versions) {
      out.put(v.name(), v.weight());
    }
    return out;
  }
}
