package dev.citizen.gateway.filter.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPublicKey;
import java.util.Set;

/**
 * One public key compiled for checking token signatures: the algorithms it may check and its key
 * id. Built once when a config or a JWK Set is loaded, never per request.
 *
 * <p>This is where algorithm confusion is refused: a key checks only the algorithms of its own
 * key type (RSA: RS and PS; EC: the ES algorithm of its curve; OKP Ed25519: EdDSA), narrowed to
 * its {@code alg} when the JWK names one. Symmetric keys are never accepted, so an HS256 token can
 * never be checked against an RSA public key's bytes used as an HMAC secret.
 */
final class VerificationKey {
  static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
  /** Below this an RSA signature is forgeable with enough effort; NIST has disallowed it since 2013. */
  static final int MIN_RSA_BITS = 2048;

  private final String kid;
  private final Set<JWSAlgorithm> algorithms;
  private final JWSVerifier verifier;

  private VerificationKey(String kid, Set<JWSAlgorithm> algorithms, JWSVerifier verifier) {
    this.kid = kid;
    this.algorithms = algorithms;
    this.verifier = verifier;
  }

  /**
   * Compiles a public JWK; throws IllegalArgumentException saying why it cannot check signatures
   * (private or symmetric key, wrong {@code use} or {@code key_ops}, an {@code alg} that does not
   * fit its key type, an unsupported curve, a short RSA key).
   */
  static VerificationKey of(JWK jwk) {
    if (jwk.getKeyType() == KeyType.OCT) {
      throw new IllegalArgumentException("kty oct: symmetric keys are not accepted (tokens are checked with "
          + "public keys only)");
    }
    if (jwk.isPrivate()) {
      throw new IllegalArgumentException("contains a private key (expected: the public key only)");
    }
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      throw new IllegalArgumentException("use " + jwk.getKeyUse().identifier() + " (expected: sig)");
    }
    if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
      throw new IllegalArgumentException("key_ops " + jwk.getKeyOperations() + " (expected: verify among them)");
    }
    String alg = jwk.getAlgorithm() == null ? null : jwk.getAlgorithm().getName();
    try {
      if (jwk instanceof RSAKey rsa) {
        RSAPublicKey pub = rsa.toRSAPublicKey();
        if (pub.getModulus().bitLength() < MIN_RSA_BITS) {
          throw new IllegalArgumentException("RSA key of " + pub.getModulus().bitLength()
              + " bits (expected: at least " + MIN_RSA_BITS + ")");
        }
        return new VerificationKey(jwk.getKeyID(), narrow(RSA_ALGORITHMS, alg, "RSA"), new RSASSAVerifier(pub));
      }
      if (jwk instanceof ECKey ec) {
        JWSAlgorithm fits;
        if (Curve.P_256.equals(ec.getCurve())) {
          fits = JWSAlgorithm.ES256;
        } else if (Curve.P_384.equals(ec.getCurve())) {
          fits = JWSAlgorithm.ES384;
        } else if (Curve.P_521.equals(ec.getCurve())) {
          fits = JWSAlgorithm.ES512;
        } else {
          throw new IllegalArgumentException("EC curve " + ec.getCurve() + " (expected: P-256, P-384 or P-521)");
        }
        return new VerificationKey(jwk.getKeyID(), narrow(Set.of(fits), alg, "EC " + ec.getCurve()),
            new ECDSAVerifier(ec.toECPublicKey()));
      }
      if (jwk instanceof OctetKeyPair okp) {
        if (!Curve.Ed25519.equals(okp.getCurve())) {
          throw new IllegalArgumentException("OKP curve " + okp.getCurve() + " (expected: Ed25519)");
        }
        return new VerificationKey(jwk.getKeyID(), narrow(Set.of(JWSAlgorithm.EdDSA), alg, "OKP Ed25519"),
            new JdkEd25519Verifier(okp.getDecodedX()));
      }
    } catch (JOSEException | GeneralSecurityException e) {
      throw new IllegalArgumentException("not a usable public key: " + e.getMessage());
    }
    throw new IllegalArgumentException("kty " + jwk.getKeyType() + " (expected: RSA, EC or OKP)");
  }

  private static Set<JWSAlgorithm> narrow(Set<JWSAlgorithm> fitting, String alg, String keyType) {
    if (alg == null) {
      return fitting;
    }
    JWSAlgorithm named = JWSAlgorithm.parse(alg);
    if (!fitting.contains(named)) {
      throw new IllegalArgumentException("alg " + alg + " does not fit a key of type " + keyType);
    }
    return Set.of(named);
  }

  /**
   * Whether this key may check a token signed with {@code alg} that names key {@code tokenKid}
   * (null: none). Ids are compared only when both have one: a key without an id (a PEM file) is
   * tried for any token, and a token without one is tried against every key of its algorithm.
   */
  boolean accepts(JWSAlgorithm alg, String tokenKid) {
    return algorithms.contains(alg) && (kid == null || tokenKid == null || kid.equals(tokenKid));
  }

  /** The key id ({@code kid}), or null. */
  String kid() {
    return kid;
  }

  JWSVerifier verifier() {
    return verifier;
  }
}
