package dev.citizen.gateway.config;

import java.time.Duration;
import java.util.List;

/**
 * Auto-ban: the {@code security.autoBan} key. A client address with {@code maxFailures} failed
 * authentications within {@code window} gets 403 {@code client_banned} on every route for
 * {@code banFor}. A failed authentication is a 401 from the gateway's own authentication on a
 * route with {@code auth}, or any 401 on a route with {@code login: true}. Bans outlive reloads;
 * {@code GET /admin/bans} lists them, {@code DELETE /admin/bans/{address}} lifts one.
 *
 * @param enabled default true; false stops counting and banning, while bans already in force run
 *     out (or are lifted with {@code DELETE /admin/bans})
 * @param maxFailures failed authentications that ban (default 3)
 * @param window within how long (default 5m)
 * @param banFor how long a ban lasts (default 15m)
 * @param maxAddresses memory bound: addresses with failure counters, and bans, at most this many
 *     each (default 10000); when full, further addresses are not counted (a WARN says so)
 * @param exempt addresses or CIDRs never banned, e.g. a clinic's NAT or a monitoring probe (default
 *     none); the trusted proxies are never banned either
 */
public record AutoBanConfig(Boolean enabled, Integer maxFailures, Duration window, Duration banFor,
    Integer maxAddresses, List<String> exempt) {
  public static final AutoBanConfig DEFAULT = new AutoBanConfig(null, null, null, null, null, null);

  public AutoBanConfig {
    enabled = enabled == null || enabled;
    maxFailures = maxFailures == null ? 3 : maxFailures;
    window = window == null ? Duration.ofMinutes(5) : window;
    banFor = banFor == null ? Duration.ofMinutes(15) : banFor;
    maxAddresses = maxAddresses == null ? 10_000 : maxAddresses;
    exempt = exempt == null ? List.of() : exempt;
  }

  public void validate(List<ConfigError> errors, String path) {
    if (maxFailures < 1 || maxFailures > 1000) {
      errors.add(new ConfigError(path + ".maxFailures", maxFailures + " (expected: 1..1000)"));
    }
    if (window.toMillis() < 1) {
      errors.add(new ConfigError(path + ".window", Durations.format(window) + " (expected: > 0)"));
    }
    if (banFor.toMillis() < 1) {
      errors.add(new ConfigError(path + ".banFor", Durations.format(banFor) + " (expected: > 0)"));
    }
    if (maxAddresses < 1 || maxAddresses > 10_000_000) {
      errors.add(new ConfigError(path + ".maxAddresses", maxAddresses + " (expected: 1..10000000)"));
    }
    Cidrs.validate(errors, path + ".exempt", exempt);
  }
}
