package dev.citizen.gateway.config;

import java.util.List;

/**
 * JWT bearer tokens and API keys for one route: the {@code auth} key.
 */
public record AuthConfig() {

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {}
}
