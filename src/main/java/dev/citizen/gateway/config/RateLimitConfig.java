package dev.citizen.gateway.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

/**
 * The request rate limit of one route: the {@code rateLimit} key, e.g. {@code rateLimit: {requests:
 * 100, per: 1m, burst: 20, key: client}}. A bucket per key holds {@code requests + burst} requests
 * and refills at {@code requests} per {@code per} (GCRA).
 *
 * @param requests requests per {@code per}, sustained (required, 1..1000000000)
 * @param per the period of {@code requests} (required, 1ms..1d)
 * @param burst requests a full bucket allows on top of {@code requests} at once (default 0)
 * @param key what a bucket belongs to: {@code client} (the client address), {@code apiKey} (the
 *     API key's id), {@code subject} (the JWT subject) or {@code header:Name} (the value of a
 *     request header); a request without one (no principal, no header) is counted by its client
 *     address (default client)
 * @param maxKeys most buckets kept for this route; past it, the buckets closest to full are
 *     dropped, which refills them (default 100000)
 */
public record RateLimitConfig(Integer requests, Duration per, Integer burst, String key, Integer maxKeys) {
  private static final Duration MAX_PER = Duration.ofDays(1);
  private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

  public RateLimitConfig {
    burst = burst == null ? 0 : burst;
    key = key == null ? "client" : key;
    maxKeys = maxKeys == null ? 100_000 : maxKeys;
  }

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {
    if (requests == null) {
      errors.add(new ConfigError(path + ".requests", "missing (expected: requests per period, such as 100)"));
    } else if (requests < 1 || requests > 1_000_000_000) {
      errors.add(new ConfigError(path + ".requests", requests + " (expected: 1..1000000000)"));
    }
    if (per == null) {
      errors.add(new ConfigError(path + ".per", "missing (expected: the period, such as 1s or 1m)"));
    } else if (per.toMillis() < 1 || per.compareTo(MAX_PER) > 0) {
      errors.add(new ConfigError(path + ".per", Durations.format(per) + " (expected: 1ms..1d)"));
    }
    if (burst < 0 || burst > 1_000_000_000) {
      errors.add(new ConfigError(path + ".burst", burst + " (expected: 0..1000000000)"));
    } else if (requests != null && requests >= 1 && per != null && per.toMillis() >= 1
        && BigInteger.valueOf(per.toNanos()).multiply(BigInteger.valueOf((long) requests + burst))
            .divide(BigInteger.valueOf(requests)).bitLength() > 61) {
      // The bucket's depth in nanoseconds, (requests + burst) × per / requests, must fit a long
      // with room for clock arithmetic.
      errors.add(new ConfigError(path + ".burst", burst + " (expected: a bucket that refills within ~73 years)"));
    }
    if (!key.equals("client") && !key.equals("apiKey") && !key.equals("subject")
        && !(key.startsWith("header:") && key.substring(7).matches(TOKEN))) {
      errors.add(new ConfigError(path + ".key", "\"" + key
          + "\" (expected: client, apiKey, subject or header:Name)"));
    }
    if (maxKeys < 100 || maxKeys > 10_000_000) {
      errors.add(new ConfigError(path + ".maxKeys", maxKeys + " (expected: 100..10000000)"));
    }
  }
}
