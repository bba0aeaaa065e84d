package dev.citizen.gateway.config;

import dev.citizen.gateway.client.Cidr;
import java.util.List;

/** Validation of address lists: trusted proxies, allow and deny lists, auto-ban exemptions. */
final class Cidrs {
  private Cidrs() {}

  /** An error for every entry of {@code cidrs} that is not an IPv4 or IPv6 address or CIDR. */
  static void validate(List<ConfigError> errors, String path, List<String> cidrs) {
    for (int i = 0; i < cidrs.size(); i++) {
      String c = cidrs.get(i);
      if (c == null) {
        continue; // failed to bind, already reported
      }
      try {
        Cidr.parse(c);
      } catch (IllegalArgumentException e) {
        errors.add(new ConfigError(path + "[" + i + "]", "\"" + c + "\" (" + e.getMessage() + ")"));
      }
    }
  }
}
