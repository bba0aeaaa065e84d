package dev.citizen.gateway.config;

import java.util.List;

/**
 * CORS for one route, with preflight answered at the gateway: the {@code cors} key.
 */
public record CorsConfig() {

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {}
}
