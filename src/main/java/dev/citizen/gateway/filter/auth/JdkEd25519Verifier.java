package dev.citizen.gateway.filter.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;

/**
 * Checks EdDSA (Ed25519) JWS signatures with the JDK's own Ed25519 (Java 15+). Nimbus' own
 * Ed25519Verifier needs Google Tink and its protobuf runtime; the JDK does the same job with no
 * further jars.
 */
final class JdkEd25519Verifier implements JWSVerifier {
  /** The DER head of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 raw key bytes follow it. */
  private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  static final int KEY_BYTES = 32;
  private static final int SIGNATURE_BYTES = 64;

  private final PublicKey key;
  private final JCAContext jca = new JCAContext();

  /** @param x the raw public key, as in an OKP JWK's {@code x} (RFC 8037) */
  JdkEd25519Verifier(byte[] x) throws GeneralSecurityException {
    if (x.length != KEY_BYTES) {
      throw new GeneralSecurityException("an Ed25519 public key has 32 bytes, not " + x.length);
    }
    byte[] spki = new byte[SPKI_PREFIX.length + KEY_BYTES];
    System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
    System.arraycopy(x, 0, spki, SPKI_PREFIX.length, KEY_BYTES);
    this.key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
  }

  /** The raw 32 key bytes of an Ed25519 public key from its X.509 (SubjectPublicKeyInfo) encoding. */
  static byte[] rawKey(PublicKey ed25519) throws GeneralSecurityException {
    byte[] der = ed25519.getEncoded();
    if (der.length != SPKI_PREFIX.length + KEY_BYTES) {
      throw new GeneralSecurityException("not an Ed25519 public key");
    }
    for (int i = 0; i < SPKI_PREFIX.length; i++) {
      if (der[i] != SPKI_PREFIX[i]) {
        throw new GeneralSecurityException("not an Ed25519 public key");
      }
    }
    return java.util.Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
    // Only EdDSA, and no critical header parameters: this verifier understands none (RFC 7515 §4.1.11).
    if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())
        || (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty())) {
      return false;
    }
    byte[] sig = signature.decode();
    if (sig.length != SIGNATURE_BYTES) {
      return false;
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(signingInput);
      return s.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.EdDSA);
  }

  @Override
  public JCAContext getJCAContext() {
    return jca;
  }
}
