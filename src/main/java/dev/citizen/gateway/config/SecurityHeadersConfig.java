package dev.citizen.gateway.config;

import java.util.List;

/**
 * Security response headers (gateway-wide under security.headers, overridden per route): the {@code headers} key.
 */
public record SecurityHeadersConfig() {
  public static final SecurityHeadersConfig DEFAULT = new SecurityHeadersConfig();

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {}
}
