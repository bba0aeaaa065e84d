package dev.citizen.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.filter.auth.ApiKeys;
import dev.citizen.gateway.filter.auth.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code routes[].auth} and {@code admin.token}: binding, defaults, and every error with its key path. */
@Timeout(20)
class AuthConfigTest {
  @TempDir
  Path dir;

  private static final String HEAD = """
      services:
        s: {endpoints: [{url: "http://127.0.0.1:9001"}]}
      routes:
        - id: r
          match: {path: /api/**}
          service: s
          auth:
      """;

  private static GatewayConfig parse(String yaml) throws ConfigException {
    return new ConfigLoader(name -> name.equals("ADMIN_TOKEN") ? "from-the-environment-123" : null)
        .parse(yaml, "test.yaml");
  }

  /** The errors of a route whose {@code auth} is {@code auth} (indented as its body). */
  private static List<ConfigError> authErrors(String auth) {
    return assertThrows(ConfigException.class, () -> parse(HEAD + auth.indent(6))).errors();
  }

  private static AuthConfig auth(String auth) throws ConfigException {
    return parse(HEAD + auth.indent(6)).routes().get(0).auth();
  }

  private static String messageAt(List<ConfigError> errors, String path) {
    return errors.stream().filter(e -> e.path().equals(path)).map(ConfigError::message).findFirst()
        .orElseThrow(() -> new AssertionError("no error at " + path + " in " + errors));
  }

  @Test
  void jwtDefaults() throws Exception {
    AuthConfig a = auth("""
        jwt:
          issuer: https://idp.test
          audiences: [api]
          jwksUrl: https://idp.test/jwks
        """);
    assertEquals("api", a.realm());
    assertNull(a.apiKeys());
    JwtConfig j = a.jwt();
    assertEquals(List.of("RS256", "ES256", "EdDSA"), j.algorithms());
    assertEquals(Duration.ofSeconds(30), j.clockSkew());
    assertEquals(Duration.ofMinutes(5), j.jwksRefresh());
    assertEquals(List.of(), j.scopes());
    assertEquals(Map.of(), j.claimHeaders());
    assertTrue(j.stripAuthorization());
  }

  @Test
  void everyKeyBinds() throws Exception {
    Path pem = Files.writeString(dir.resolve("idp.pem"), TestTokens.rsa(null).publicPem());
    String jwk = TestTokens.ed25519("k1").publicJwk().toJSONString();
    AuthConfig a = auth("""
        realm: citizen
        jwt:
          issuer: https://idp.test
          audiences: [api, other]
          jwksUrl: http://127.0.0.1:8999/jwks
          jwksRefresh: 1m
          keyFiles: [%s]
          keys: [%s]
          algorithms: [EdDSA, PS256]
          clockSkew: 5s
          scopes: [patient/Observation.read, openid]
          claimHeaders: {sub: X-User-Id, tenant: X-Tenant}
          stripAuthorization: false
        apiKeys:
          header: X-Lab-Key
          keys: [{id: lab, sha256: %s}]
        """.formatted(pem, jwk, ApiKeys.hashHex("lab-key-0123456789")));
    assertEquals("citizen", a.realm());
    assertEquals(List.of("api", "other"), a.jwt().audiences());
    assertEquals(Duration.ofMinutes(1), a.jwt().jwksRefresh());
    assertEquals("k1", a.jwt().keys().get(0).get("kid"));
    assertEquals(List.of("EdDSA", "PS256"), a.jwt().algorithms());
    assertEquals("X-Tenant", a.jwt().claimHeaders().get("tenant"));
    assertFalse(a.jwt().stripAuthorization());
    assertEquals("X-Lab-Key", a.apiKeys().header());
    assertEquals("lab", a.apiKeys().keys().get(0).id());
  }

  @Test
  void apiKeyHeaderDefaultsToXApiKey() throws Exception {
    assertEquals("X-API-Key", auth("apiKeys: {keys: [{id: k, sha256: %s}]}".formatted(ApiKeys.hashHex("x".repeat(20))))
        .apiKeys().header());
  }

  @Test
  void aConfigWithAuthCompilesForValidationWithoutFetchingAnything() throws Exception {
    Path pem = Files.writeString(dir.resolve("idp.pem"), TestTokens.ec(null).publicPem());
    // As `gateway validate` does: no Vert.x, so the JWKS URL is not fetched; the key file is read.
    dev.citizen.gateway.server.Snapshot.compile(parse(HEAD + """
        jwt:
          issuer: https://idp.test
          audiences: [api]
          jwksUrl: https://idp.invalid/jwks
          keyFiles: [%s]
        apiKeys: {keys: [{id: k, sha256: %s}]}
        """.formatted(pem, ApiKeys.hashHex("x".repeat(20))).indent(6)));
  }

  @Test
  void anEmptyAuthNamesWhatIsMissing() {
    List<ConfigError> errors = authErrors("realm: x\n");
    assertTrue(messageAt(errors, "routes[0].auth").contains("neither jwt nor apiKeys"), errors.toString());
  }

  @Test
  void jwtWithoutIssuerAudiencesOrKeys() {
    List<ConfigError> errors = authErrors("jwt: {clockSkew: 10s}\n");
    assertTrue(messageAt(errors, "routes[0].auth.jwt.issuer").startsWith("missing"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.audiences").startsWith("missing"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt").contains("no keys"));
  }

  @Test
  void badJwtValuesAreEachReportedWithTheirPath() {
    List<ConfigError> errors = authErrors("""
        realm: 'say "hi"'
        jwt:
          issuer: https://idp.test
          audiences: [api, ""]
          jwksUrl: http://idp.example.org/jwks
          jwksRefresh: 5s
          keyFiles: [/nonexistent/idp.pem]
          keys: [{kty: oct, k: c2VjcmV0}]
          algorithms: [RS256, HS256, none, XX1]
          clockSkew: 10m
          scopes: [patient/Observation.raed, "two scopes"]
          claimHeaders: {sub: X-User-Id, tenant: x-user-id, email: Authorization, name: "bad header"}
        """);
    assertTrue(messageAt(errors, "routes[0].auth.realm").contains("without quotes"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.audiences[1]").startsWith("empty"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.jwksUrl").contains("plain http only on loopback"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.jwksRefresh").contains(">= 10s"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.keyFiles[0]").contains("no such file"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.keys[0]").contains("symmetric keys are not accepted"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.algorithms[1]").contains("HMAC tokens are never accepted"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.algorithms[2]").contains("unsigned tokens are never accepted"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.algorithms[3]").contains("expected one of"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.clockSkew").contains("0..5m"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.scopes[0]").contains("SMART scope"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.scopes[1]").contains("no spaces"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.claimHeaders.tenant").contains("already carries claim sub"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.claimHeaders.email").contains("set or checked by the gateway"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.claimHeaders.name").contains("expected: a header name"));
  }

  @Test
  void aPrivateJwkOrAnUnreadablePemFileIsAnError() throws Exception {
    Path notPem = Files.writeString(dir.resolve("key.txt"), "hello");
    List<ConfigError> errors = authErrors("""
        jwt:
          issuer: https://idp.test
          audiences: [api]
          keyFiles: [%s]
          keys: [{kty: EC, crv: P-256, x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                  y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", d: "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}]
        """.formatted(notPem));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.keyFiles[0]").contains("no PEM block"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.keys[0]").contains("private key"));
  }

  @Test
  void jwksUrlsMustBeHttpsExceptOnLoopback() {
    assertNull(JwtConfig.jwksUrlProblem("https://idp.example.org/certs"));
    assertNull(JwtConfig.jwksUrlProblem("http://127.0.0.1:8080/certs"));
    assertNull(JwtConfig.jwksUrlProblem("http://[::1]:8080/certs"));
    assertNull(JwtConfig.jwksUrlProblem("http://localhost/certs"));
    assertTrue(JwtConfig.jwksUrlProblem("http://10.0.0.1/certs").contains("https"));
    assertTrue(JwtConfig.jwksUrlProblem("http://127.0.0.1.example.org/certs").contains("https"));
    assertTrue(JwtConfig.jwksUrlProblem("ftp://idp/certs").contains("https"));
    assertTrue(JwtConfig.jwksUrlProblem("https://user:pw@idp/certs").contains("without user info"));
  }

  @Test
  void badApiKeysAreEachReportedWithTheirPath() {
    String h = ApiKeys.hashHex("some-key-0123456789");
    List<ConfigError> errors = authErrors("""
        apiKeys:
          header: Authorization
          keys:
            - {id: lab, sha256: %s}
            - {id: lab, sha256: %s}
            - {id: "bad id", sha256: the-key-itself}
            - {sha256: %s}
        """.formatted(h, h.toUpperCase(), ApiKeys.hashHex("other-key-0123456789")));
    assertTrue(messageAt(errors, "routes[0].auth.apiKeys.header").contains("set or checked by the gateway"));
    assertTrue(messageAt(errors, "routes[0].auth.apiKeys.keys[1].id").contains("unique"));
    assertTrue(messageAt(errors, "routes[0].auth.apiKeys.keys[1].sha256").contains("same key as an earlier entry"));
    assertTrue(messageAt(errors, "routes[0].auth.apiKeys.keys[2].id").contains("letters, digits"));
    String notAHash = messageAt(errors, "routes[0].auth.apiKeys.keys[2].sha256");
    assertTrue(notAHash.contains("not a SHA-256 hash") && !notAHash.contains("the-key-itself"), notAHash);
    assertTrue(messageAt(errors, "routes[0].auth.apiKeys.keys[3].id").startsWith("missing"));
  }

  @Test
  void apiKeysWithoutKeysAndAClaimHeaderOnTheKeyHeader() {
    List<ConfigError> errors = authErrors("""
        jwt: {issuer: i, audiences: [a], jwksUrl: "https://idp/jwks", claimHeaders: {sub: X-API-Key}}
        apiKeys: {}
        """);
    assertTrue(messageAt(errors, "routes[0].auth.apiKeys.keys").startsWith("missing"));
    assertTrue(messageAt(errors, "routes[0].auth.jwt.claimHeaders.sub").contains("API key header"));
  }

  @Test
  void unknownKeysUnderAuthAreErrors() {
    List<ConfigError> errors = authErrors("jwt: {issuer: i, audiences: [a], jwksUrl: \"https://idp/jwks\", aud: x}\n");
    assertTrue(messageAt(errors, "routes[0].auth.jwt.aud").contains("unknown key"));
  }

  @Test
  void adminTokenMustBeLongAndPrintableAndIsNeverEchoed() {
    List<ConfigError> errors = assertThrows(ConfigException.class, () -> parse("admin: {token: short-secret}\n"))
        .errors();
    String m = messageAt(errors, "admin.token");
    assertTrue(m.contains("12 characters") && m.contains("at least 16"), m);
    assertFalse(m.contains("short-secret"), m);
    errors = assertThrows(ConfigException.class, () -> parse("admin: {token: \"has spaces in it, sixteen+\"}\n"))
        .errors();
    assertTrue(messageAt(errors, "admin.token").contains("printable ASCII"));
  }

  @Test
  void adminTokenFromTheEnvironmentAndEmptyMeansUnset() throws Exception {
    assertEquals("from-the-environment-123", parse("admin: {token: \"${ADMIN_TOKEN}\"}\n").admin().token());
    assertNull(parse("admin: {token: \"${UNSET_TOKEN:-}\"}\n").admin().token());
    assertNull(parse("server: {port: 0}\n").admin().token());
    assertFalse(parse("admin: {token: \"${ADMIN_TOKEN}\"}\n").admin().toString().contains("from-the-environment"),
        "the token never reaches a log line through toString");
  }
}
