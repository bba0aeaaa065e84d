package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.filter.auth.ApiKeys;
import dev.citizen.gateway.filter.auth.TestTokens;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Route authentication through the real gateway: JWT bearer tokens checked against a real JWKS
 * endpoint (RS256, ES256, EdDSA keys made in the test), static keys, SMART scopes, claim headers,
 * API keys, and every way a token is refused. One gateway for the class; each test reads what
 * the backend received.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtAuthBlackBoxTest {
  private static final String AUD = "patients-api";
  private static final String LAB_KEY = "lab-import-key-0123456789";
  private static final String BOTH_KEY = "both-route-key-0123456789";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final TestTokens.Signer rsa = TestTokens.rsa("rsa-1");
  private final TestTokens.Signer ec = TestTokens.ec("ec-1");
  private final TestTokens.Signer ed = TestTokens.ed25519("ed-1");
  private final TestTokens.Signer pemKey = TestTokens.ed25519("pem-1");
  private final TestTokens.Signer inlineKey = TestTokens.ec("inline-1");
  private final AtomicInteger backendRequests = new AtomicInteger();
  private TestGateway t;
  private TestIdp idp;
  private Path pemFile;
  private LogCapture logs;

  @BeforeAll
  void start() throws Exception {
    t = TestGateway.create();
    logs = LogCapture.of("dev.citizen.gateway.filter.auth.AuthFilter");
    idp = TestIdp.start(t.backendVertx, rsa, ec, ed);
    // Echoes the request headers it got as JSON: lower-case name → values joined with '|'.
    int backend = t.httpBackend(req -> {
      backendRequests.incrementAndGet();
      JsonObject seen = new JsonObject();
      req.headers().names().forEach(n -> seen.put(n.toLowerCase(), String.join("|", req.headers().getAll(n))));
      req.response().putHeader("Content-Type", "application/json").end(seen.encode());
    });
    pemFile = Files.createTempFile("idp", ".pem");
    Files.writeString(pemFile, pemKey.publicPem());
    String jwt = "{issuer: \"" + TestIdp.ISSUER + "\", audiences: [" + AUD + "], jwksUrl: \"" + idp.jwksUrl() + "\"";
    t.startGateway("""
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        security: {autoBan: {enabled: false}}   # many refused tokens from one address (AutoBanBlackBoxTest bans)
        services:
        %s
        routes:
          - {id: jwt, match: {path: /jwt/**}, service: backend,
             auth: {realm: citizen, jwt: %s, claimHeaders: {sub: X-User-Id, tenant: X-Tenant}}}}
          - {id: keep, match: {path: /keep/**}, service: backend, auth: {jwt: %s, stripAuthorization: false}}}
          - {id: scoped, match: {path: /scoped/**}, service: backend, auth: {jwt: %s, scopes: [patient/Observation.read]}}}
          - {id: wild, match: {path: /wild/**}, service: backend, auth: {jwt: %s, scopes: [patient/*.read]}}}
          - id: static
            match: {path: /static/**}
            service: backend
            auth:
              jwt:
                issuer: "%s"
                audiences: [%s]
                keyFiles: ["%s"]
                keys: [%s]
          - id: keys
            match: {path: /keys/**}
            service: backend
            auth: {apiKeys: {keys: [{id: lab-import, sha256: %s}]}}
          - id: both
            match: {path: /both/**}
            service: backend
            auth: {jwt: %s}, apiKeys: {header: X-Lab-Key, keys: [{id: both-client, sha256: %s}]}}
          - {id: open, match: {path: /open/**}, service: backend}
        """.formatted(TestGateway.service("backend", backend), jwt, jwt, jwt, jwt, TestIdp.ISSUER, AUD, pemFile,
        inlineJwk(), ApiKeys.hashHex(LAB_KEY), jwt, ApiKeys.hashHex(BOTH_KEY)));
    assertTrue(TestGateway.eventually(5000, () -> idp.fetches.get() == 1), "the JWKS is fetched once at start");
  }

  private String inlineJwk() {
    JsonObject jwk = new JsonObject(inlineKey.publicJwk().toJSONString());
    StringBuilder sb = new StringBuilder("{");
    jwk.forEach(e -> sb.append(sb.length() > 1 ? ", " : "").append(e.getKey()).append(": \"").append(e.getValue())
        .append('"'));
    return sb.append('}').toString();
  }

  @AfterAll
  void stop() throws Exception {
    logs.close();
    t.close();
    Files.deleteIfExists(pemFile);
  }

  private Map<String, Object> claims(String subject) {
    return TestTokens.claims(TestIdp.ISSUER, AUD, subject);
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.url(path))).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> bearer(String path, String token, String... more) throws Exception {
    String[] headers = new String[more.length + 2];
    headers[0] = "Authorization";
    headers[1] = "Bearer " + token;
    System.arraycopy(more, 0, headers, 2, more.length);
    return get(path, headers);
  }

  /** What the backend saw: lower-case header name → value. */
  private static JsonObject seen(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
    assertEquals(code, new JsonObject(r.body()).getString("code"), r.body());
    assertTrue(r.headers().firstValue("X-Request-Id").isPresent());
  }

  @Test
  void validRs256Es256AndEdDsaTokensReachTheServiceWithTheirClaimHeaders() throws Exception {
    for (TestTokens.Signer s : List.of(rsa, ec, ed)) {
      Map<String, Object> c = claims("user-" + s.alg);
      c.put("tenant", "acme");
      JsonObject seen = seen(bearer("/jwt/patients/1", s.sign(c)));
      assertEquals("user-" + s.alg, seen.getString("x-user-id"), s.alg);
      assertEquals("acme", seen.getString("x-tenant"), s.alg);
      assertNull(seen.getString("authorization"), "stripped by default");
    }
    assertEquals(1, idp.fetches.get(), "known keys need no further fetch");
  }

  @Test
  void claimHeadersTheClientSendsAreAlwaysRemoved() throws Exception {
    JsonObject seen = seen(bearer("/jwt/x", ed.sign(claims("user-7")), "X-User-Id", "admin", "x-tenant", "other"));
    assertEquals("user-7", seen.getString("x-user-id"), "the client's value is gone, the claim's is there");
    assertNull(seen.getString("x-tenant"), "the token has no tenant claim: no header at all");
    // A route without auth leaves headers alone: no auth filter on it.
    assertEquals("admin", seen(get("/open/x", "X-User-Id", "admin")).getString("x-user-id"));
  }

  @Test
  void authorizationIsStrippedUnlessTheRouteKeepsIt() throws Exception {
    String token = rsa.sign(claims("user-7"));
    assertNull(seen(bearer("/jwt/x", token)).getString("authorization"));
    assertEquals("Bearer " + token, seen(bearer("/keep/x", token)).getString("authorization"));
  }

  @Test
  void noTokenIs401WithAPlainBearerChallenge() throws Exception {
    int before = backendRequests.get();
    for (HttpResponse<String> r : List.of(get("/jwt/x"), get("/jwt/x", "Authorization", "Basic dXNlcjpwYXNz"))) {
      assertProblem(r, 401, "unauthorized");
      assertEquals(List.of("Bearer realm=\"citizen\""), r.headers().allValues("WWW-Authenticate"));
    }
    assertEquals(before, backendRequests.get(), "nothing reached the service");
  }

  @Test
  void refusedTokensAre401InvalidTokenWithAShortReasonOnly() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    Map<String, String> cases = new LinkedHashMap<>();
    Map<String, Object> c = claims("u");
    c.put("exp", now - 120);
    cases.put(rsa.sign(c), "token expired");
    c = claims("u");
    c.put("nbf", now + 300);
    cases.put(ec.sign(c), "token not yet valid");
    c = claims("u");
    c.put("iss", "https://evil.test/realms/citizen");
    cases.put(ed.sign(c), "token not accepted");
    c = claims("u");
    c.put("aud", "billing-api");
    cases.put(ed.sign(c), "token not accepted");
    c = claims("u");
    c.remove("exp");
    cases.put(ed.sign(c), "token not accepted");
    // Signed by another key under a published kid.
    cases.put(TestTokens.rsa("rsa-1").sign(claims("u")), "token not accepted");
    cases.put(TestTokens.unsigned(claims("u")), "malformed token");
    // HS256 with the RSA public key's PEM as the HMAC secret: the classic algorithm confusion.
    cases.put(TestTokens.hs256(rsa.publicPem().getBytes(StandardCharsets.US_ASCII), "rsa-1", claims("u")),
        "token not accepted");
    // ES256 claimed for the RSA key's kid, signed by an EC key.
    cases.put(ec.sign(TestTokens.header("ES256", "rsa-1"), claims("u")), "token not accepted");
    cases.put("abc.def", "malformed token");

    int before = backendRequests.get();
    int fetchesBefore = idp.fetches.get();
    for (Map.Entry<String, String> e : cases.entrySet()) {
      HttpResponse<String> r = bearer("/jwt/x", e.getKey());
      assertProblem(r, 401, "invalid_token");
      assertEquals(List.of("Bearer realm=\"citizen\", error=\"invalid_token\", error_description=\"" + e.getValue()
          + "\""), r.headers().allValues("WWW-Authenticate"), e.getValue());
      assertEquals(e.getValue(), new JsonObject(r.body()).getString("detail"), "no more than the short reason");
    }
    assertEquals(before, backendRequests.get(), "nothing reached the service");
    assertEquals(fetchesBefore, idp.fetches.get(), "known kids never trigger a JWKS fetch");
  }

  @Test
  void theExactReasonGoesToTheLogWithTheRequestId() throws Exception {
    Map<String, Object> c = claims("u");
    c.put("iss", "https://evil.test/realms/citizen");
    HttpResponse<String> r = bearer("/jwt/x", ed.sign(c));
    String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
    LogCapture.Line line = logs.await(5000, l -> l.message().contains(requestId));
    assertTrue(line != null && line.message().contains("https://evil.test/realms/citizen")
        && line.message().contains("is not the configured issuer"), () -> String.valueOf(logs.lines));
    assertFalse(r.body().contains("evil.test"));
  }

  @Test
  void tokensWithinTheClockSkewPass() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    Map<String, Object> c = claims("late");
    c.put("exp", now - 10);
    assertEquals("late", seen(bearer("/jwt/x", rsa.sign(c))).getString("x-user-id"));
    c = claims("early");
    c.put("nbf", now + 10);
    assertEquals("early", seen(bearer("/jwt/x", ed.sign(c))).getString("x-user-id"));
  }

  @Test
  void aMissingScopeIs403InsufficientScope() throws Exception {
    Map<String, Object> c = claims("u");
    c.put("scope", "openid patient/Condition.read");
    int before = backendRequests.get();
    HttpResponse<String> r = bearer("/scoped/Observation", ed.sign(c));
    assertProblem(r, 403, "insufficient_scope");
    assertEquals(List.of("Bearer realm=\"api\", error=\"insufficient_scope\", "
        + "error_description=\"insufficient scope\", scope=\"patient/Observation.read\""),
        r.headers().allValues("WWW-Authenticate"));
    assertEquals(before, backendRequests.get());
    c.remove("scope");
    assertProblem(bearer("/scoped/Observation", ed.sign(c)), 403, "insufficient_scope");
  }

  private int scoped(String path, Object scope) throws Exception {
    Map<String, Object> c = claims("u");
    c.put(scope instanceof List ? "scp" : "scope", scope);
    return bearer(path, ec.sign(c)).statusCode();
  }

  @Test
  void smartWildcardScopesCoverWhatTheyShould() throws Exception {
    // The route needs patient/Observation.read (v1 read = v2 "rs").
    assertEquals(200, scoped("/scoped/x", "patient/Observation.read"));
    assertEquals(200, scoped("/scoped/x", "patient/*.read"));
    assertEquals(200, scoped("/scoped/x", "patient/*.*"));
    assertEquals(200, scoped("/scoped/x", "patient/*.rs"));
    assertEquals(200, scoped("/scoped/x", "patient/Observation.cruds"));
    assertEquals(200, scoped("/scoped/x", List.of("openid", "patient/Observation.read")));
    assertEquals(200, scoped("/scoped/x", "patient/Observation.r patient/Observation.s"));
    assertEquals(403, scoped("/scoped/x", "patient/Observation.r"), "read needs search too");
    assertEquals(403, scoped("/scoped/x", "patient/Observation.write"));
    assertEquals(403, scoped("/scoped/x", "user/*.read"), "another context");
    assertEquals(403, scoped("/scoped/x", "patient/Observation.rs?category=laboratory"), "a narrower grant");
    // The route needs patient/*.read: one type is not all of them.
    assertEquals(403, scoped("/wild/x", "patient/Observation.read"));
    assertEquals(200, scoped("/wild/x", "patient/*.rs"));
    assertEquals(200, scoped("/wild/x", "patient/*.*"));
  }

  @Test
  void staticKeysFromAPemFileAndAnInlineJwk() throws Exception {
    // The PEM key has no kid in the file: it is tried for any token of its algorithm.
    assertEquals(200, bearer("/static/x", pemKey.sign(claims("pem"))).statusCode());
    assertEquals(200, bearer("/static/x", inlineKey.sign(claims("inline"))).statusCode());
    assertProblem(bearer("/static/x", rsa.sign(claims("u"))), 401, "invalid_token");
    assertProblem(bearer("/static/x", TestTokens.ec("inline-1").sign(claims("u"))), 401, "invalid_token");
  }

  @Test
  void apiKeysValidInvalidAndMissing() throws Exception {
    JsonObject seen = seen(get("/keys/x", "X-API-Key", LAB_KEY));
    assertNull(seen.getString("x-api-key"), "the key never goes upstream");
    int before = backendRequests.get();
    HttpResponse<String> bad = get("/keys/x", "X-API-Key", LAB_KEY + "x");
    assertProblem(bad, 401, "invalid_api_key");
    assertEquals(List.of("ApiKey realm=\"api\", header=\"X-API-Key\""),
        bad.headers().allValues("WWW-Authenticate"));
    assertProblem(get("/keys/x"), 401, "unauthorized");
    assertProblem(get("/keys/x", "X-API-Key", ApiKeys.hashHex(LAB_KEY)), 401, "invalid_api_key");
    assertProblem(get("/keys/x", "X-API-Key", LAB_KEY, "X-API-Key", LAB_KEY), 401, "invalid_api_key");
    assertProblem(bearer("/keys/x", ed.sign(claims("u"))), 401, "unauthorized");
    assertEquals(before, backendRequests.get());
  }

  @Test
  void aRouteWithJwtAndApiKeysTakesEither() throws Exception {
    String token = ed.sign(claims("user-7"));
    assertEquals(200, bearer("/both/x", token).statusCode());
    JsonObject byKey = seen(get("/both/x", "X-Lab-Key", BOTH_KEY));
    assertNull(byKey.getString("x-lab-key"));
    assertEquals(200, bearer("/both/x", token, "X-Lab-Key", "wrong-key-0123456789").statusCode());
    assertEquals(200, bearer("/both/x", "not-a-token", "X-Lab-Key", BOTH_KEY).statusCode());
    HttpResponse<String> none = get("/both/x");
    assertProblem(none, 401, "unauthorized");
    assertEquals(List.of("Bearer realm=\"api\"", "ApiKey realm=\"api\", header=\"X-Lab-Key\""),
        none.headers().allValues("WWW-Authenticate"));
    assertProblem(bearer("/both/x", "not-a-token", "X-Lab-Key", "wrong-key-0123456789"), 401, "invalid_token");
    assertProblem(get("/both/x", "X-Lab-Key", "wrong-key-0123456789"), 401, "invalid_api_key");
  }

  @Test
  void aWebSocketUpgradeCannotSkipAuth() throws Exception {
    int before = backendRequests.get();
    String upgrade = "GET /jwt/socket HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    String refused = RawHttp.exchange(t.port(), upgrade + "\r\n", 5000);
    assertEquals(401, RawHttp.statusOf(refused), refused);
    assertEquals(before, backendRequests.get(), "the upgrade never reached the service");
    String allowed = RawHttp.exchange(t.port(), upgrade + "Authorization: Bearer " + ed.sign(claims("ws"))
        + "\r\n\r\n", 5000);
    assertNotEquals(401, RawHttp.statusOf(allowed), allowed);
    assertEquals(before + 1, backendRequests.get(), "with a token it is forwarded");
  }
}
