package dev.citizen.gateway.filter.auth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys and tokens for the auth tests, made with the JDK's own generators and signatures (no
 * Tink), so that the tests sign the way an identity provider would and the gateway's checks are
 * tested against independent code. Also forges the tokens an attacker would send.
 */
public final class TestTokens {
  private TestTokens() {}

  /** A key pair that signs JWS: RS256 (RSA 2048), ES256 (P-256) or EdDSA (Ed25519). */
  public static final class Signer {
    public final String alg;
    public final String kid;
    private final KeyPair pair;
    private final String jcaAlgorithm;

    private Signer(String alg, String kid, KeyPair pair, String jcaAlgorithm) {
      this.alg = alg;
      this.kid = kid;
      this.pair = pair;
      this.jcaAlgorithm = jcaAlgorithm;
    }

    /** The public key as a JWK with this signer's kid. */
    public JWK publicJwk() {
      try {
        if (pair.getPublic() instanceof RSAPublicKey rsa) {
          return new RSAKey.Builder(rsa).keyID(kid).build();
        }
        if (pair.getPublic() instanceof ECPublicKey ec) {
          return new ECKey.Builder(Curve.P_256, ec).keyID(kid).build();
        }
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(JdkEd25519Verifier.rawKey(pair.getPublic())))
            .keyID(kid).build();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The public key in PEM ({@code PUBLIC KEY}), as an operator would put it in a key file. */
    public String publicPem() {
      return "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
          + "\n-----END PUBLIC KEY-----\n";
    }

    /** A token with this signer's alg and kid in the header. */
    public String sign(Map<String, Object> claims) {
      return sign(header(alg, kid), claims);
    }

    /** A token with {@code header} exactly as given, signed with this key. */
    public String sign(Map<String, Object> header, Map<String, Object> claims) {
      String input = encode(header) + "." + encode(claims);
      try {
        Signature s = Signature.getInstance(jcaAlgorithm);
        s.initSign(pair.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(s.sign());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public static Signer rsa(String kid) {
    return new Signer("RS256", kid, generate("RSA", 2048), "SHA256withRSA");
  }

  public static Signer ec(String kid) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      // JWS wants R||S (IEEE P1363), not the DER that SHA256withECDSA gives.
      return new Signer("ES256", kid, g.generateKeyPair(), "SHA256withECDSAinP1363Format");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Signer ed25519(String kid) {
    return new Signer("EdDSA", kid, generate("Ed25519", 0), "Ed25519");
  }

  private static KeyPair generate(String algorithm, int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (bits > 0) {
        g.initialize(bits);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JWK Set document with the public keys of {@code signers}. */
  public static String jwks(Signer... signers) {
    JsonArray keys = new JsonArray();
    Arrays.stream(signers).forEach(s -> keys.add(new JsonObject(s.publicJwk().toJSONString())));
    return new JsonObject().put("keys", keys).encode();
  }

  public static Map<String, Object> header(String alg, String kid) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("alg", alg);
    h.put("typ", "JWT");
    if (kid != null) {
      h.put("kid", kid);
    }
    return h;
  }

  /**
   * Claims valid now for {@code issuer} and {@code audience}: sub, iat, exp in 5 minutes.
   * Mutable, so tests can change or remove what they are about.
   */
  public static Map<String, Object> claims(String issuer, String audience, String subject) {
    long now = System.currentTimeMillis() / 1000;
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iss", issuer);
    c.put("aud", audience);
    c.put("sub", subject);
    c.put("iat", now);
    c.put("exp", now + 300);
    return c;
  }

  /** An unsigned token: {@code alg: none} and an empty signature. */
  public static String unsigned(Map<String, Object> claims) {
    return encode(header("none", null)) + "." + encode(claims) + ".";
  }

  /** An HS256 token with {@code secret} as the HMAC key (e.g. an RSA public key's PEM bytes). */
  public static String hs256(byte[] secret, String kid, Map<String, Object> claims) {
    String input = encode(header("HS256", kid)) + "." + encode(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(Map<String, Object> json) {
    return b64(new JsonObject(json).encode().getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
