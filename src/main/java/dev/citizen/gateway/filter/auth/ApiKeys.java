package dev.citizen.gateway.filter.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The API keys of a route, held only as SHA-256 hashes, so the config file (and a heap dump) never
 * has a usable key. A presented key is hashed and compared with every stored hash in constant
 * time, without stopping at a match, so timing tells an attacker neither how much of a key was
 * right nor which entry matched.
 *
 * <p>Plain SHA-256 rather than a slow password hash: API keys are long random strings (see
 * {@code gateway hash-key}), which no dictionary covers, and the hash runs on every request.
 */
public final class ApiKeys {
  private final String[] ids;
  private final byte[][] hashes;

  /** @param ids the keys' ids; @param hexHashes their SHA-256 hashes in hex, in the same order */
  ApiKeys(List<String> ids, List<String> hexHashes) {
    this.ids = ids.toArray(new String[0]);
    this.hashes = new byte[hexHashes.size()][];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = HexFormat.of().parseHex(hexHashes.get(i));
    }
  }

  /** The id of the key {@code presented}, or null when it is none of them. */
  String match(String presented) {
    byte[] hash = sha256(presented);
    int found = -1;
    for (int i = 0; i < hashes.length; i++) {
      // Every entry is compared, whatever matched before.
      if (MessageDigest.isEqual(hash, hashes[i])) {
        found = i;
      }
    }
    return found < 0 ? null : ids[found];
  }

  /** The SHA-256 of the key's UTF-8 bytes. */
  public static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The lower-case hex SHA-256 of a key, as written in {@code apiKeys.keys[].sha256}. */
  public static String hashHex(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }
}
