package dev.citizen.gateway.config;

import java.util.List;

/**
 * Auto-ban: the {@code security.autoBan} key.
 */
public record AutoBanConfig() {
  public static final AutoBanConfig DEFAULT = new AutoBanConfig();

  public void validate(List<ConfigError> errors, String path) {}
}
