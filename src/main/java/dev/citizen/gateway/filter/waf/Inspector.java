package dev.citizen.gateway.filter.waf;

import dev.citizen.gateway.waf.engine.WafOutcome;
import dev.citizen.gateway.waf.engine.WafRequest;

/**
 * What the filter needs from the engine: one request in, what matched out. A compiled
 * {@code RuleSet}'s {@code evaluate}; tests pass their own. Must be thread-safe (all event loops
 * share one).
 */
@FunctionalInterface
public interface Inspector {
  WafOutcome inspect(WafRequest request);
}
