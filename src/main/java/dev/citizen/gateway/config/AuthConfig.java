package dev.citizen.gateway.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Authentication required on one route: the {@code auth} key. A request passes with a valid JWT
 * bearer token ({@code jwt}) or a valid API key ({@code apiKeys}); with both configured, either
 * one suffices. A route without {@code auth} is open (and pays nothing for this feature).
 *
 * <pre>
 * auth:
 *   realm: patients               # in WWW-Authenticate (default api)
 *   jwt: {issuer: ..., audiences: [...], jwksUrl: ...}
 *   apiKeys: {header: X-API-Key, keys: [{id: lab-import, sha256: ...}]}
 * </pre>
 *
 * @param realm the protection space named in {@code WWW-Authenticate} challenges (default
 *     api: the gateway names no product of its own)
 * @param jwt JWT bearer tokens ({@link JwtConfig}); none by default
 * @param apiKeys API keys ({@link ApiKeysConfig}); none by default
 */
public record AuthConfig(String realm, JwtConfig jwt, ApiKeysConfig apiKeys) {
  static final String HEADER_NAME = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
  /**
   * Headers that neither carry claims nor API keys: the gateway sets or strips them itself, or
   * they frame the message or carry other credentials.
   */
  static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "content-type", "transfer-encoding",
      "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "expect", "authorization",
      "proxy-authorization", "cookie", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "forwarded",
      "x-request-id", "traceparent", "tracestate");

  public AuthConfig {
    realm = realm == null ? "api" : realm;
  }

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {
    if (!realm.matches("[\\x20-\\x7e&&[^\"\\\\]]+") || realm.isBlank()) {
      errors.add(new ConfigError(path + ".realm", "\"" + realm
          + "\" (expected: printable ASCII without quotes or backslashes)"));
    }
    if (jwt == null && apiKeys == null) {
      errors.add(new ConfigError(path, "neither jwt nor apiKeys (expected: at least one of them)"));
    }
    if (jwt != null) {
      jwt.validate(errors, path + ".jwt");
    }
    if (apiKeys != null) {
      apiKeys.validate(errors, path + ".apiKeys");
      if (jwt != null && apiKeys.header() != null) {
        for (var e : jwt.claimHeaders().entrySet()) {
          if (e.getValue() != null && e.getValue().equalsIgnoreCase(apiKeys.header())) {
            errors.add(new ConfigError(path + ".jwt.claimHeaders." + e.getKey(), "\"" + e.getValue()
                + "\" is the API key header (expected: a header of its own)"));
          }
        }
      }
    }
  }

  /** Whether {@code name} may carry a claim or an API key; adds an error naming {@code path} if not. */
  static boolean checkHeaderName(List<ConfigError> errors, String path, String name) {
    if (name == null || !name.matches(HEADER_NAME)) {
      errors.add(new ConfigError(path, "\"" + name + "\" (expected: a header name)"));
      return false;
    }
    if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      errors.add(new ConfigError(path, "\"" + name + "\" is set or checked by the gateway itself "
          + "(expected: a header of its own, such as X-User-Id)"));
      return false;
    }
    return true;
  }
}
