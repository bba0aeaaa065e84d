package dev.citizen.gateway.filter.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.citizen.gateway.config.JwtConfig;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every check of a bearer token, with static keys and a fixed clock. */
class TokenCheckerTest {
  private static final String ISS = "https://idp.test/realms/citizen";
  private static final String AUD = "patients-api";
  private static final long NOW = 1_700_000_000_000L;

  private final TestTokens.Signer rsa = TestTokens.rsa("rsa-1");
  private final TestTokens.Signer ec = TestTokens.ec("ec-1");
  private final TestTokens.Signer ed = TestTokens.ed25519("ed-1");

  private static JwtConfig config(List<String> algorithms) {
    return new JwtConfig(ISS, List.of(AUD, "other-api"), null, null, null, null, algorithms, Duration.ofSeconds(30),
        null, null, null);
  }

  private TokenChecker checker(List<String> algorithms, TestTokens.Signer... signers) {
    KeySet keys = new KeySet(java.util.Arrays.stream(signers).map(s -> VerificationKey.of(s.publicJwk())).toList());
    return new TokenChecker(config(algorithms), keys, null, () -> NOW);
  }

  private TokenChecker checker() {
    return checker(null, rsa, ec, ed);
  }

  private static Map<String, Object> claims() {
    Map<String, Object> c = TestTokens.claims(ISS, AUD, "user-7");
    c.put("iat", NOW / 1000);
    c.put("exp", NOW / 1000 + 300);
    return c;
  }

  private static TokenChecker.Outcome outcome(TokenChecker checker, String token) {
    Future<TokenChecker.Outcome> f = checker.check(token);
    return f.result();
  }

  private static void refused(TokenChecker.Rejection expected, TokenChecker.Outcome o) {
    assertNull(o.principal(), () -> "accepted, expected " + expected);
    assertEquals(expected, o.rejection(), o.detail());
  }

  @Test
  void validTokensOfEachAlgorithmPass() {
    for (TestTokens.Signer s : List.of(rsa, ec, ed)) {
      TokenChecker.Outcome o = outcome(checker(), s.sign(claims()));
      assertNotNull(o.principal(), () -> s.alg + ": " + o.detail());
      assertEquals("user-7", o.principal().subject());
      assertNull(o.principal().apiKeyId());
    }
  }

  @Test
  void aTokenWithoutKidIsTriedAgainstEveryKeyOfItsAlgorithm() {
    String token = ed.sign(TestTokens.header("EdDSA", null), claims());
    assertNotNull(outcome(checker(), token).principal());
  }

  @Test
  void algNoneAndUnsignedTokensAreMalformed() {
    refused(TokenChecker.Rejection.MALFORMED, outcome(checker(), TestTokens.unsigned(claims())));
    refused(TokenChecker.Rejection.MALFORMED, outcome(checker(), "eyJhbGciOiJSUzI1NiJ9.e30"));
    refused(TokenChecker.Rejection.MALFORMED, outcome(checker(), "not a token"));
  }

  @Test
  void hs256SignedWithTheRsaPublicKeyIsRefused() {
    byte[] pem = rsa.publicPem().getBytes(StandardCharsets.US_ASCII);
    refused(TokenChecker.Rejection.NOT_ACCEPTED, outcome(checker(), TestTokens.hs256(pem, "rsa-1", claims())));
    byte[] der = rsa.publicJwk().toRSAKey().toPublicJWK().toJSONString().getBytes(StandardCharsets.US_ASCII);
    refused(TokenChecker.Rejection.NOT_ACCEPTED, outcome(checker(), TestTokens.hs256(der, null, claims())));
  }

  @Test
  void anAlgorithmThatDoesNotFitTheKeyIsRefused() {
    // ES256 in the header, pointing at the RSA key's kid, signed by the EC key.
    String token = ec.sign(TestTokens.header("ES256", "rsa-1"), claims());
    refused(TokenChecker.Rejection.NOT_ACCEPTED, outcome(checker(), token));
    // RS256 claimed, EdDSA key named.
    refused(TokenChecker.Rejection.NOT_ACCEPTED, outcome(checker(), rsa.sign(TestTokens.header("RS256", "ed-1"), claims())));
  }

  @Test
  void algorithmsNotAllowedOnTheRouteAreRefused() {
    TokenChecker onlyEd = checker(List.of("EdDSA"), rsa, ec, ed);
    refused(TokenChecker.Rejection.NOT_ACCEPTED, outcome(onlyEd, rsa.sign(claims())));
    assertNotNull(outcome(onlyEd, ed.sign(claims())).principal());
  }

  @Test
  void aWrongKeyIsRefused() {
    TestTokens.Signer impostor = TestTokens.rsa("rsa-1"); // same kid, other key
    refused(TokenChecker.Rejection.NOT_ACCEPTED, outcome(checker(), impostor.sign(claims())));
  }

  @Test
  void criticalHeadersAreRefused() {
    Map<String, Object> h = TestTokens.header("EdDSA", "ed-1");
    h.put("crit", List.of("exp"));
    h.put("exp", 1);
    refused(TokenChecker.Rejection.NOT_ACCEPTED, outcome(checker(), ed.sign(h, claims())));
  }

  @Test
  void issuerAndAudienceMustMatch() {
    Map<String, Object> c = claims();
    c.put("iss", ISS + "/");
    refused(TokenChecker.Rejection.NOT_ACCEPTED, outcome(checker(), ed.sign(c)));
    c = claims();
    c.remove("iss");
    refused(TokenChecker.Rejection.NOT_ACCEPTED, outcome(checker(), ed.sign(c)));
    c = claims();
    c.put("aud", "billing-api");
    refused(TokenChecker.Rejection.NOT_ACCEPTED, outcome(checker(), ed.sign(c)));
    c.put("aud", List.of("billing-api", "other-api"));
    assertNotNull(outcome(checker(), ed.sign(c)).principal(), "one accepted audience in the list suffices");
    c.remove("aud");
    refused(TokenChecker.Rejection.NOT_ACCEPTED, outcome(checker(), ed.sign(c)));
  }

  @Test
  void expIsRequiredAndCheckedWithTheClockSkew() {
    Map<String, Object> c = claims();
    c.remove("exp");
    refused(TokenChecker.Rejection.NOT_ACCEPTED, outcome(checker(), ed.sign(c)));
    c.put("exp", NOW / 1000 - 29);
    assertNotNull(outcome(checker(), ed.sign(c)).principal(), "within the 30 s skew");
    c.put("exp", NOW / 1000 - 30);
    refused(TokenChecker.Rejection.EXPIRED, outcome(checker(), ed.sign(c)));
    c.put("exp", "tomorrow");
    refused(TokenChecker.Rejection.MALFORMED, outcome(checker(), ed.sign(c)));
  }

  @Test
  void nbfIsCheckedWithTheClockSkew() {
    Map<String, Object> c = claims();
    c.put("nbf", NOW / 1000 + 30);
    assertNotNull(outcome(checker(), ed.sign(c)).principal(), "within the 30 s skew");
    c.put("nbf", NOW / 1000 + 31);
    refused(TokenChecker.Rejection.NOT_YET_VALID, outcome(checker(), ed.sign(c)));
  }

  @Test
  void scopesComeFromScopeAndScp() {
    Map<String, Object> c = claims();
    c.put("scope", "openid  patient/*.read");
    c.put("scp", List.of("fhirUser"));
    Principal p = outcome(checker(), ed.sign(c)).principal();
    assertEquals(Set.of("openid", "patient/*.read", "fhirUser"), p.scopes());
    c.remove("scope");
    c.put("scp", "user/*.rs system/Patient.r");
    assertEquals(Set.of("user/*.rs", "system/Patient.r"), outcome(checker(), ed.sign(c)).principal().scopes());
  }

  @Test
  void anUnknownKidAsksTheJwksCacheForANewerSetOnce() {
    AtomicInteger fetches = new AtomicInteger();
    String[] published = {TestTokens.jwks(rsa)};
    JwksCache cache = new JwksCache("https://idp.test/jwks", () -> {
      fetches.incrementAndGet();
      return Future.succeededFuture(published[0]);
    }, System::nanoTime);
    TokenChecker checker = new TokenChecker(config(null), KeySet.EMPTY, cache, () -> NOW);
    assertNotNull(outcome(checker, rsa.sign(claims())).principal());
    assertEquals(1, fetches.get());
    published[0] = TestTokens.jwks(rsa, ed); // rotation: a new key
    assertNotNull(outcome(checker, ed.sign(claims())).principal());
    assertEquals(2, fetches.get());
    TestTokens.Signer unknown = TestTokens.ec("nobody");
    for (int i = 0; i < 50; i++) {
      refused(TokenChecker.Rejection.NOT_ACCEPTED, outcome(checker, unknown.sign(claims())));
    }
    assertEquals(2, fetches.get(), "unknown kids within 10 s fetch nothing more");
  }

  @Test
  void withoutKeysAtAllTheAnswerIsKeysUnavailable() {
    JwksCache down = new JwksCache("https://idp.test/jwks", () -> Future.failedFuture("connection refused"),
        System::nanoTime);
    TokenChecker checker = new TokenChecker(config(null), KeySet.EMPTY, down, () -> NOW);
    refused(TokenChecker.Rejection.KEYS_UNAVAILABLE, outcome(checker, rsa.sign(claims())));
  }
}
