package dev.citizen.gateway.filter.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable set of compiled {@link VerificationKey}s: the static keys of a route, or one
 * fetch of a JWK Set. Also the loaders that make them from PEM text, inline JWKs and JWK Set JSON.
 */
final class KeySet {
  static final KeySet EMPTY = new KeySet(List.of());
  /**
   * More keys than any identity provider publishes (they rotate two or three); the bound keeps a
   * token without a key id from making the gateway try an unbounded number of signatures.
   */
  static final int MAX_KEYS = 50;
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private final List<VerificationKey> keys;

  KeySet(List<VerificationKey> keys) {
    this.keys = List.copyOf(keys);
  }

  List<VerificationKey> keys() {
    return keys;
  }

  boolean isEmpty() {
    return keys.isEmpty();
  }

  /** Whether some key has exactly this id. */
  boolean hasKid(String kid) {
    for (VerificationKey k : keys) {
      if (kid.equals(k.kid())) {
        return true;
      }
    }
    return false;
  }

  /**
   * A JWK Set document, e.g. an identity provider's {@code jwks_uri}. Keys that cannot check
   * signatures (encryption keys, symmetric keys, unsupported curves) are left out and reported to
   * {@code skipped}, since an identity provider may well publish some; a document that is not a
   * JWK Set at all throws.
   */
  static KeySet parseJwkSet(String json, Consumer<String> skipped) throws ParseException {
    JWKSet set = JWKSet.parse(json);
    List<VerificationKey> out = new ArrayList<>();
    for (JWK jwk : set.getKeys()) {
      if (out.size() == MAX_KEYS) {
        skipped.accept("more than " + MAX_KEYS + " keys; the rest are ignored");
        break;
      }
      try {
        out.add(VerificationKey.of(jwk));
      } catch (IllegalArgumentException e) {
        skipped.accept("key " + (jwk.getKeyID() == null ? "without kid" : "\"" + jwk.getKeyID() + "\"") + ": "
            + e.getMessage());
      }
    }
    return new KeySet(out);
  }

  /** One JWK written inline in the config (string members only, as YAML gives them). */
  static VerificationKey parseJwk(Map<String, String> members) {
    try {
      return VerificationKey.of(JWK.parse(new LinkedHashMap<String, Object>(members)));
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a valid JWK: " + e.getMessage());
    }
  }

  /**
   * The public keys in PEM text: {@code PUBLIC KEY} blocks (SubjectPublicKeyInfo: RSA, EC or
   * Ed25519) and {@code CERTIFICATE} blocks (the certificate's key). Throws
   * IllegalArgumentException saying what is wrong.
   */
  static List<VerificationKey> parsePem(String text) {
    List<VerificationKey> out = new ArrayList<>();
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a " + type + " block is not valid base64");
      }
      PublicKey key = switch (type) {
        case "PUBLIC KEY" -> publicKey(der);
        case "CERTIFICATE" -> certificateKey(der);
        case "RSA PUBLIC KEY" -> throw new IllegalArgumentException("an RSA PUBLIC KEY (PKCS#1) block; convert it "
            + "with: openssl rsa -RSAPublicKey_in -in FILE -pubout");
        default -> throw new IllegalArgumentException("a " + type + " block (expected: PUBLIC KEY or CERTIFICATE; "
            + "never a private key)");
      };
      out.add(VerificationKey.of(toJwk(key)));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no PEM block (expected: -----BEGIN PUBLIC KEY----- or "
          + "-----BEGIN CERTIFICATE-----)");
    }
    return out;
  }

  private static PublicKey publicKey(byte[] spki) {
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
      } catch (GeneralSecurityException e) {
        // not this key type; try the next
      }
    }
    throw new IllegalArgumentException("a PUBLIC KEY block that is not an RSA, EC or Ed25519 key");
  }

  private static PublicKey certificateKey(byte[] der) {
    try {
      return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der))
          .getPublicKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("a CERTIFICATE block that is not an X.509 certificate");
    }
  }

  private static JWK toJwk(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).build();
    }
    if (key instanceof ECPublicKey ec) {
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      if (curve == null) {
        throw new IllegalArgumentException("an EC key on an unsupported curve (expected: P-256, P-384 or P-521)");
      }
      return new ECKey.Builder(curve, ec).build();
    }
    try {
      return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(JdkEd25519Verifier.rawKey(key))).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("a " + key.getAlgorithm() + " key (expected: RSA, EC or Ed25519)");
    }
  }

  /** The candidates for a token signed with {@code alg} naming {@code kid} (null: none). */
  List<VerificationKey> candidates(JWSAlgorithm alg, String kid) {
    List<VerificationKey> out = null;
    for (VerificationKey k : keys) {
      if (k.accepts(alg, kid)) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(k);
      }
    }
    return out == null ? List.of() : out;
  }
}
