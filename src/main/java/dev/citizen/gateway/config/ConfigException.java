package dev.citizen.gateway.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a config cannot be used; carries every error found, each with its key path. */
public final class ConfigException extends Exception {
  private final transient List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
