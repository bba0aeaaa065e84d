package dev.citizen.gateway.config;

import dev.citizen.gateway.filter.auth.SmartScopes;
import dev.citizen.gateway.filter.auth.StaticKeys;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * JWT bearer tokens on a route: the {@code auth.jwt} key. A token passes when its signature is
 * checked by one of the keys (fetched from {@code jwksUrl} and/or configured in {@code keyFiles}
 * and {@code keys}) with an allowed algorithm, its {@code iss} is {@code issuer}, its {@code aud}
 * names one of {@code audiences}, it has not expired ({@code exp} is required) and is already valid
 * ({@code nbf}), both within {@code clockSkew}, and it grants every scope in {@code scopes}.
 *
 * @param issuer the exact {@code iss} of accepted tokens (required)
 * @param audiences accepted audiences: a token's {@code aud} must name at least one (required)
 * @param jwksUrl the identity provider's JWK Set URL ({@code jwks_uri}); https, or http on
 *     loopback only. Fetched without blocking, cached, and fetched again at once (at most every
 *     10 s) when a token names an unknown key id
 * @param jwksRefresh how old the fetched keys may get before they are fetched again; at least 10s
 *     (default 5m)
 * @param keyFiles PEM files with public keys ({@code PUBLIC KEY}) or certificates; read when the
 *     config is loaded (default none)
 * @param keys public keys as inline JWKs, e.g. {@code {kty: OKP, crv: Ed25519, kid: k1, x: ...}}
 *     (default none)
 * @param algorithms accepted signature algorithms, from RS256, RS384, RS512, PS256, PS384, PS512,
 *     ES256, ES384, ES512 and EdDSA (Ed25519) (default RS256, ES256, EdDSA). HMAC and {@code none}
 *     are never accepted
 * @param clockSkew tolerance for {@code exp} and {@code nbf}, up to 5m (default 30s)
 * @param scopes scopes every token must grant, SMART on FHIR aware (see {@link SmartScopes});
 *     missing ones → 403 (default none)
 * @param claimHeaders claims forwarded to the service as request headers, claim name to header
 *     name, e.g. {@code {sub: X-User-Id}}; client-sent headers of these names are always removed
 *     (default none)
 * @param stripAuthorization remove the {@code Authorization} header before the request goes
 *     upstream (default true: the service gets the checked identity in claim headers, and a
 *     bearer token that is not passed on cannot be replayed by a service or leak from its logs;
 *     set false for services that check the token themselves)
 */
public record JwtConfig(String issuer, List<String> audiences, String jwksUrl, Duration jwksRefresh,
    List<String> keyFiles, List<Map<String, String>> keys, List<String> algorithms, Duration clockSkew,
    List<String> scopes, Map<String, String> claimHeaders, Boolean stripAuthorization) {
  /** What {@code algorithms} may name. */
  public static final Set<String> SUPPORTED_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384",
      "PS512", "ES256", "ES384", "ES512", "EdDSA");
  static final Duration MIN_REFRESH = Duration.ofSeconds(10);
  static final Duration MAX_SKEW = Duration.ofMinutes(5);

  public JwtConfig {
    audiences = audiences == null ? List.of() : audiences;
    jwksRefresh = jwksRefresh == null ? Duration.ofMinutes(5) : jwksRefresh;
    keyFiles = keyFiles == null ? List.of() : keyFiles;
    keys = keys == null ? List.of() : keys;
    algorithms = algorithms == null ? List.of("RS256", "ES256", "EdDSA") : algorithms;
    clockSkew = clockSkew == null ? Duration.ofSeconds(30) : clockSkew;
    scopes = scopes == null ? List.of() : scopes;
    claimHeaders = claimHeaders == null ? Map.of() : claimHeaders;
    stripAuthorization = stripAuthorization == null || stripAuthorization;
  }

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {
    if (issuer == null || issuer.isBlank()) {
      errors.add(new ConfigError(path + ".issuer", "missing (expected: the iss of the tokens, exactly, such as "
          + "https://idp.example.org/realms/citizen)"));
    }
    if (audiences.isEmpty()) {
      errors.add(new ConfigError(path + ".audiences", "missing (expected: at least one audience, such as "
          + "[patients-api])"));
    }
    for (int i = 0; i < audiences.size(); i++) {
      if (audiences.get(i) != null && audiences.get(i).isBlank()) {
        errors.add(new ConfigError(path + ".audiences[" + i + "]", "empty (expected: an audience)"));
      }
    }
    if (jwksUrl == null && keyFiles.isEmpty() && keys.isEmpty()) {
      errors.add(new ConfigError(path, "no keys (expected: jwksUrl, keyFiles or keys)"));
    }
    if (jwksUrl != null) {
      String problem = jwksUrlProblem(jwksUrl);
      if (problem != null) {
        errors.add(new ConfigError(path + ".jwksUrl", "\"" + jwksUrl + "\" (expected: " + problem + ")"));
      }
    }
    if (jwksRefresh.compareTo(MIN_REFRESH) < 0) {
      errors.add(new ConfigError(path + ".jwksRefresh", Durations.format(jwksRefresh) + " (expected: >= 10s)"));
    }
    for (int i = 0; i < keyFiles.size(); i++) {
      String file = keyFiles.get(i);
      if (file != null) {
        String problem = StaticKeys.keyFileProblem(file);
        if (problem != null) {
          errors.add(new ConfigError(path + ".keyFiles[" + i + "]", "\"" + file + "\" (" + problem + ")"));
        }
      }
    }
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i) != null) {
        String problem = StaticKeys.jwkProblem(keys.get(i));
        if (problem != null) {
          errors.add(new ConfigError(path + ".keys[" + i + "]", problem));
        }
      }
    }
    if (algorithms.isEmpty()) {
      errors.add(new ConfigError(path + ".algorithms", "empty (expected: some of " + String.join(", ",
          List.of("RS256", "ES256", "EdDSA")) + ", ...)"));
    }
    for (int i = 0; i < algorithms.size(); i++) {
      String a = algorithms.get(i);
      if (a == null || SUPPORTED_ALGORITHMS.contains(a)) {
        continue;
      }
      String why = a.startsWith("HS") ? "HMAC tokens are never accepted: the gateway checks signatures with "
          + "public keys only"
          : a.equalsIgnoreCase("none") ? "unsigned tokens are never accepted"
          : "expected one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA";
      errors.add(new ConfigError(path + ".algorithms[" + i + "]", "\"" + a + "\" (" + why + ")"));
    }
    if (clockSkew.isNegative() || clockSkew.compareTo(MAX_SKEW) > 0) {
      errors.add(new ConfigError(path + ".clockSkew", Durations.format(clockSkew) + " (expected: 0..5m)"));
    }
    for (int i = 0; i < scopes.size(); i++) {
      String s = scopes.get(i);
      if (s == null) {
        continue;
      }
      String p = path + ".scopes[" + i + "]";
      if (!s.matches("[\\x21-\\x7e&&[^\"\\\\]]+")) {
        errors.add(new ConfigError(p, "\"" + s + "\" (expected: one scope: printable ASCII, no spaces, quotes "
            + "or backslashes)"));
      } else if (SmartScopes.looksLikeResourceScope(s) && !SmartScopes.isResourceScope(s)) {
        errors.add(new ConfigError(p, "\"" + s + "\" (expected: a SMART scope such as patient/Observation.read, "
            + "patient/*.rs or user/Patient.cruds)"));
      }
    }
    Map<String, String> seen = new HashMap<>();
    for (Map.Entry<String, String> e : claimHeaders.entrySet()) {
      String p = path + ".claimHeaders." + e.getKey();
      if (e.getKey().isBlank()) {
        errors.add(new ConfigError(p, "empty claim name (expected: a claim such as sub)"));
      }
      if (e.getValue() != null && AuthConfig.checkHeaderName(errors, p, e.getValue())) {
        String before = seen.put(e.getValue().toLowerCase(Locale.ROOT), e.getKey());
        if (before != null) {
          errors.add(new ConfigError(p, "\"" + e.getValue() + "\" already carries claim " + before
              + " (expected: one header per claim)"));
        }
      }
    }
  }

  /**
   * Null when the JWKS URL is usable, else what was expected. Plain http only on loopback: keys
   * fetched over a network without TLS could be swapped by anyone on the path, who could then
   * sign any token.
   */
  static String jwksUrlProblem(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      return "a valid URL such as https://idp.example.org/realms/citizen/protocol/openid-connect/certs";
    }
    if (u.getHost() == null || u.getPort() > 65535 || u.getRawUserInfo() != null || u.getRawFragment() != null) {
      return "https://host[:port]/path, without user info or fragment";
    }
    if ("https".equals(u.getScheme())) {
      return null;
    }
    if ("http".equals(u.getScheme())) {
      return isLoopback(u.getHost()) ? null : "https (plain http only on loopback: keys fetched without TLS "
          + "could be replaced on the way)";
    }
    return "an https:// URL";
  }

  private static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    // Only literal addresses are judged here (no DNS lookup while loading a config).
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
