package dev.citizen.gateway.filter.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which keys can check signatures, and for which algorithms. */
class KeySetTest {

  @Test
  void eachKeyTypeChecksOnlyItsOwnAlgorithms() {
    VerificationKey rsa = VerificationKey.of(TestTokens.rsa("r").publicJwk());
    VerificationKey ec = VerificationKey.of(TestTokens.ec("e").publicJwk());
    VerificationKey ed = VerificationKey.of(TestTokens.ed25519("d").publicJwk());
    assertTrue(rsa.accepts(JWSAlgorithm.RS256, "r"));
    assertTrue(rsa.accepts(JWSAlgorithm.PS256, null));
    assertFalse(rsa.accepts(JWSAlgorithm.HS256, "r"));
    assertFalse(rsa.accepts(JWSAlgorithm.ES256, "r"));
    assertTrue(ec.accepts(JWSAlgorithm.ES256, "e"));
    assertFalse(ec.accepts(JWSAlgorithm.ES384, "e"), "a P-256 key checks ES256 only");
    assertTrue(ed.accepts(JWSAlgorithm.EdDSA, "d"));
    assertFalse(ed.accepts(JWSAlgorithm.EdDSA, "other"), "ids are compared when both have one");
  }

  @Test
  void aJwkAlgNarrowsTheKeyAndMustFitItsType() {
    RSAKey pinned = new RSAKey.Builder(TestTokens.rsa("r").publicJwk().toRSAKey()).algorithm(JWSAlgorithm.PS256).build();
    VerificationKey k = VerificationKey.of(pinned);
    assertTrue(k.accepts(JWSAlgorithm.PS256, null));
    assertFalse(k.accepts(JWSAlgorithm.RS256, null));
    RSAKey wrong = new RSAKey.Builder(pinned).algorithm(JWSAlgorithm.HS256).build();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> VerificationKey.of(wrong)).getMessage()
        .contains("does not fit"));
  }

  @Test
  void symmetricPrivateEncryptionAndShortKeysAreRefused() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> VerificationKey.of(
        new OctetSequenceKey.Builder(Base64URL.encode("secret-secret-secret-secret-1234")).build()));
    RSAKey enc = new RSAKey.Builder(TestTokens.rsa("r").publicJwk().toRSAKey()).keyUse(KeyUse.ENCRYPTION).build();
    assertThrows(IllegalArgumentException.class, () -> VerificationKey.of(enc));
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    var pair = g.generateKeyPair();
    RSAKey small = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).build();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> VerificationKey.of(small)).getMessage()
        .contains("1024 bits"));
    RSAKey withPrivate = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey(pair.getPrivate()).build();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> VerificationKey.of(withPrivate)).getMessage()
        .contains("private"));
  }

  @Test
  void aJwkSetKeepsTheUsableKeysAndReportsTheRest() throws Exception {
    String json = "{\"keys\":[" + TestTokens.rsa("r").publicJwk().toJSONString() + ","
        + "{\"kty\":\"oct\",\"kid\":\"h\",\"k\":\"c2VjcmV0\"}," + TestTokens.ed25519("d").publicJwk().toJSONString() + "]}";
    List<String> skipped = new ArrayList<>();
    KeySet set = KeySet.parseJwkSet(json, skipped::add);
    assertEquals(2, set.keys().size());
    assertTrue(set.hasKid("r") && set.hasKid("d") && !set.hasKid("h"));
    assertEquals(1, skipped.size(), skipped.toString());
    assertTrue(skipped.get(0).contains("\"h\""), skipped.toString());
  }

  @Test
  void pemPublicKeysOfEveryTypeLoad() {
    for (TestTokens.Signer s : List.of(TestTokens.rsa("r"), TestTokens.ec("e"), TestTokens.ed25519("d"))) {
      List<VerificationKey> keys = KeySet.parsePem(s.publicPem());
      assertEquals(1, keys.size());
      assertTrue(keys.get(0).accepts(com.nimbusds.jose.JWSAlgorithm.parse(s.alg), "any"), s.alg);
    }
    assertEquals(2, KeySet.parsePem(TestTokens.rsa("a").publicPem() + TestTokens.ec("b").publicPem()).size());
  }

  @Test
  void pemWithoutAPublicKeyIsRefusedSayingWhy() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> KeySet.parsePem("hello")).getMessage()
        .contains("no PEM block"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> KeySet.parsePem(
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")).getMessage().contains("never a private key"));
  }

  @Test
  void inlineJwksParseFromStringMembers() {
    Map<String, String> members = new java.util.LinkedHashMap<>();
    new io.vertx.core.json.JsonObject(TestTokens.ed25519("k1").publicJwk().toJSONString())
        .forEach(e -> members.put(e.getKey(), (String) e.getValue()));
    assertTrue(KeySet.parseJwk(members).accepts(JWSAlgorithm.EdDSA, "k1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> KeySet.parseJwk(Map.of("kty", "RSA")))
        .getMessage().startsWith("not a valid JWK"));
  }
}
