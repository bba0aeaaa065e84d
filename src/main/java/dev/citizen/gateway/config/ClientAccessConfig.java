package dev.citizen.gateway.config;

import java.util.List;

/**
 * Which clients may use one route: IP allow and deny lists by CIDR, bot refusal: the {@code clients} key.
 */
public record ClientAccessConfig() {

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {}
}
