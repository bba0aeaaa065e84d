package dev.citizen.gateway.filter.auth;

import dev.citizen.gateway.config.JwtConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The keys written in a route's config: PEM files ({@code keyFiles}) and inline JWKs
 * ({@code keys}). Read and compiled when the config is loaded; a changed PEM file is read again
 * on the next config reload.
 */
public final class StaticKeys {
  /** Larger than any PEM file of a few public keys or certificates. */
  private static final long MAX_FILE_BYTES = 1024 * 1024;

  private StaticKeys() {}

  /** The compiled keys of {@code jwt}; throws IllegalArgumentException when one cannot be loaded. */
  static KeySet load(JwtConfig jwt) {
    List<VerificationKey> keys = new ArrayList<>();
    for (String file : jwt.keyFiles()) {
      keys.addAll(KeySet.parsePem(read(file)));
    }
    for (Map<String, String> jwk : jwt.keys()) {
      keys.add(KeySet.parseJwk(jwk));
    }
    return new KeySet(keys);
  }

  /** Null when {@code file} holds usable public keys, else what is wrong (for config errors). */
  public static String keyFileProblem(String file) {
    try {
      KeySet.parsePem(read(file));
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** Null when the inline JWK is a usable public key, else what is wrong (for config errors). */
  public static String jwkProblem(Map<String, String> jwk) {
    try {
      KeySet.parseJwk(jwk);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static String read(String file) {
    try {
      Path p = Path.of(file);
      if (Files.size(p) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException("larger than 1 MiB: not a PEM file of public keys");
      }
      return Files.readString(p, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read: " + e.getMessage());
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException("not a file path");
    }
  }
}
