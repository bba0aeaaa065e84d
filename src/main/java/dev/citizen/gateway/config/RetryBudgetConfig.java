package dev.citizen.gateway.config;

/**
 * Caps retries to a service so they cannot amplify an outage: over a sliding 10 s window,
 * retries may add at most {@code percent} of the requests on top of them, plus
 * {@code minPerSecond} so that a quiet service can still be retried.
 *
 * @param percent default 20
 * @param minPerSecond default 5
 */
public record RetryBudgetConfig(Integer percent, Integer minPerSecond) {
  public static final RetryBudgetConfig DEFAULT = new RetryBudgetConfig(null, null);

  public RetryBudgetConfig {
    percent = percent == null ? 20 : percent;
    minPerSecond = minPerSecond == null ? 5 : minPerSecond;
  }
}
