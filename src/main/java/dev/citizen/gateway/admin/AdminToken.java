package dev.citizen.gateway.admin;

import dev.citizen.gateway.filter.auth.ApiKeys;
import dev.citizen.gateway.filter.auth.AuthFilter;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * The bearer token that locks the admin API: {@code admin.token} from the config now serving (so
 * a reload can rotate it), else the environment variable {@value #ENV}. With neither, the admin
 * API is locked: every endpoint but the health checks answers 401.
 *
 * <p>Tokens are compared as SHA-256 hashes with {@link MessageDigest#isEqual}, so the time a
 * comparison takes says nothing about the token, not even its length.
 */
public final class AdminToken {
  /** The environment variable read when the config sets no token. */
  public static final String ENV = "CITIZEN_ADMIN_TOKEN";
  /** Shorter tokens are refused: 16 random characters are beyond guessing over the network. */
  public static final int MIN_LENGTH = 16;

  private final Supplier<String> configured;
  private final String fromEnv;

  /**
   * @param configured {@code admin.token} of the config now serving (null when unset)
   * @param fromEnv the value of {@value #ENV} (null when unset)
   */
  public AdminToken(Supplier<String> configured, String fromEnv) {
    this.configured = configured;
    this.fromEnv = fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
  }

  /** Null when {@code token} may be used, else what is wrong with it; the token itself is never echoed. */
  public static String problem(String token) {
    if (token.length() < MIN_LENGTH) {
      return token.length() + " characters (expected: at least " + MIN_LENGTH + "; e.g. openssl rand -hex 32)";
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return "contains spaces, control or non-ASCII characters (expected: printable ASCII, as a bearer "
            + "token in a header must be)";
      }
    }
    return null;
  }

  /** Null when the environment's token is usable or unset, else what is wrong (checked at start). */
  public String envProblem() {
    String p = fromEnv == null ? null : problem(fromEnv);
    return p == null ? null : ENV + ": " + p;
  }

  /** The token in force, or null when the admin API is locked. */
  String current() {
    String c = configured.get();
    return c != null ? c : fromEnv;
  }

  /** Whether no token is set, so that the admin API is locked. */
  public boolean locked() {
    return current() == null;
  }

  /** Whether {@code authorization} (the request's header, may be null) is {@code Bearer <the token>}. */
  boolean accepts(String authorization) {
    String expected = current();
    if (expected == null || authorization == null) {
      return false;
    }
    String presented = AuthFilter.bearerToken(authorization);
    return presented != null && MessageDigest.isEqual(ApiKeys.sha256(presented), ApiKeys.sha256(expected));
  }
}
