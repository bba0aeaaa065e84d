package dev.citizen.gateway.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.impl.KeyStoreHelper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * A certificate chain and its private key, read from two PEM files and checked to belong together,
 * as handed to Vert.x ({@link #keyCertOptions()}).
 *
 * <p>The key is parsed by Vert.x's own PEM reader ({@code KeyStoreHelper}, an internal class of
 * vertx-core 5.0.x), so that what passes here is exactly what the listener or client will accept.
 */
public final class PemKeyPair {
  private static final byte[] PROBE = "citizen-gateway key check".getBytes(StandardCharsets.US_ASCII);

  private final PemCertificates chain;
  private final Path keyFile;
  private final byte[] key;

  private PemKeyPair(PemCertificates chain, Path keyFile, byte[] key) {
    this.chain = chain;
    this.keyFile = keyFile;
    this.key = key;
  }

  /** Reads both files and checks them. */
  public static PemKeyPair read(Path certFile, Path keyFile) throws TlsFileException {
    byte[] cert = PemFiles.read(TlsFileException.Part.CERT, certFile);
    byte[] key = PemFiles.read(TlsFileException.Part.KEY, keyFile);
    return parse(certFile, cert, keyFile, key);
  }

  /** Checks file contents already read: certificates parse, the key parses and fits the first one. */
  public static PemKeyPair parse(Path certFile, byte[] cert, Path keyFile, byte[] key) throws TlsFileException {
    PemCertificates chain = PemCertificates.parse(TlsFileException.Part.CERT, certFile, cert);
    PrivateKey privateKey;
    try {
      KeyStore store = KeyStoreHelper.loadKeyCert(List.of(Buffer.buffer(key)), List.of(Buffer.buffer(cert)));
      privateKey = (PrivateKey) store.getKey(store.aliases().nextElement(),
          KeyStoreHelper.DUMMY_PASSWORD.toCharArray());
    } catch (Exception e) {
      if (e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).contains("does not match")) {
        // KeyStore.PrivateKeyEntry's documented refusal of a key of another algorithm (an RSA key
        // for an EC certificate): a readable key, but not this certificate's.
        throw notTheKey(certFile, keyFile, chain);
      }
      throw new TlsFileException(TlsFileException.Part.KEY, keyFile, "holds no usable private key (expected: an "
          + "unencrypted PEM key, -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY): " + e.getMessage());
    }
    if (!fits(privateKey, chain.first().getPublicKey())) {
      throw notTheKey(certFile, keyFile, chain);
    }
    return new PemKeyPair(chain, keyFile, key);
  }

  private static TlsFileException notTheKey(Path certFile, Path keyFile, PemCertificates chain) {
    return new TlsFileException(TlsFileException.Part.KEY, keyFile, "is not the key of the certificate in "
        + certFile + " (" + chain.first().getSubjectX500Principal().getName() + ")");
  }

  /**
   * Whether the private key belongs to the public key: a signature made with one must verify with
   * the other. True for key types without a signature check here (the handshake would fail then).
   */
  static boolean fits(PrivateKey privateKey, PublicKey publicKey) {
    String algorithm = switch (privateKey.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> null;
    };
    if (algorithm == null) {
      return true;
    }
    if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** For Vert.x: the file contents as values (see the package documentation for why not paths). */
  public PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions().setCertValue(Buffer.buffer(chain.pem())).setKeyValue(Buffer.buffer(key));
  }

  /** Whether these are the bytes this pair was made from (a watcher's "nothing changed"). */
  public boolean sameContent(byte[] cert, byte[] key) {
    return Arrays.equals(chain.pem(), cert) && Arrays.equals(this.key, key);
  }

  public X509Certificate leaf() {
    return chain.first();
  }

  public Path certFile() {
    return chain.file();
  }

  public Path keyFile() {
    return keyFile;
  }

  /** For logs: subject, issuer and expiry of the leaf. */
  public String describe() {
    X509Certificate leaf = leaf();
    return "\"" + leaf.getSubjectX500Principal().getName() + "\" issued by \""
        + leaf.getIssuerX500Principal().getName() + "\", valid until " + leaf.getNotAfter().toInstant()
        + (chain.certificates().size() > 1 ? ", with " + (chain.certificates().size() - 1) + " chain certificates"
            : "");
  }
}
