package dev.citizen.gateway.config;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * API keys accepted on a route: the {@code auth.apiKeys} key. Keys are written as their SHA-256
 * hashes ({@code gateway hash-key} prints one), never in clear. The key header is always removed
 * before the request goes upstream.
 *
 * @param header the request header that carries the key (default X-API-Key)
 * @param keys the accepted keys, each with an id (what logs and later filters see) and its hash
 */
public record ApiKeysConfig(String header, List<ApiKeyConfig> keys) {

  public ApiKeysConfig {
    header = header == null ? "X-API-Key" : header;
    keys = keys == null ? List.of() : keys;
  }

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {
    AuthConfig.checkHeaderName(errors, path + ".header", header);
    if (keys.isEmpty()) {
      errors.add(new ConfigError(path + ".keys", "missing (expected: at least one {id, sha256}; "
          + "gateway hash-key prints the hash of a key)"));
    }
    Set<String> ids = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      ApiKeyConfig k = keys.get(i);
      String p = path + ".keys[" + i + "]";
      if (k == null) {
        continue;
      }
      if (k.id() == null) {
        errors.add(new ConfigError(p + ".id", "missing (expected: a name for the key, such as lab-import)"));
      } else if (!k.id().matches("[A-Za-z0-9][A-Za-z0-9_.:-]*")) {
        errors.add(new ConfigError(p + ".id", "\"" + k.id() + "\" (expected: letters, digits, . _ : -)"));
      } else if (!ids.add(k.id())) {
        errors.add(new ConfigError(p + ".id", "\"" + k.id() + "\" (expected: unique, already used)"));
      }
      if (k.sha256() == null) {
        errors.add(new ConfigError(p + ".sha256", "missing (expected: the key's SHA-256 in hex, from gateway "
            + "hash-key)"));
      } else if (!k.sha256().matches("[0-9a-fA-F]{64}")) {
        // Not echoed: someone may have pasted the key itself here.
        errors.add(new ConfigError(p + ".sha256", "not a SHA-256 hash (expected: 64 hex digits from gateway "
            + "hash-key, never the key itself)"));
      } else if (!hashes.add(k.sha256().toLowerCase(Locale.ROOT))) {
        errors.add(new ConfigError(p + ".sha256", "the same key as an earlier entry (expected: one entry per key)"));
      }
    }
  }
}
