package dev.citizen.gateway.config;

import java.util.List;

/**
 * The request rate limit of one route: the {@code rateLimit} key.
 */
public record RateLimitConfig() {

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {}
}
