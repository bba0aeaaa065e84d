package dev.citizen.gateway.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for TLS tests, written as PEM files into a directory: a CA, and certificates
 * it issues for servers (by default for 127.0.0.1, ::1 and localhost) and clients. Keys are EC
 * P-256 unless RSA is asked for; private keys are written as PKCS#8 unless another PEM form is
 * asked for.
 */
public final class TestCertificates {
  /** Key algorithm of an issued certificate. */
  public enum KeyType {
    EC,
    RSA
  }

  /** How a private key is written: PKCS#8 ("PRIVATE KEY") or the OpenSSL traditional form (PKCS#1 / SEC1). */
  public enum KeyFormat {
    PKCS8,
    TRADITIONAL
  }

  /** An issued certificate and its files. */
  public record Issued(X509Certificate certificate, PrivateKey key, Path certFile, Path keyFile) {}

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final String name;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final Path caFile;

  private TestCertificates(Path dir, String name) throws Exception {
    this.dir = dir;
    this.name = name;
    this.caKeys = keyPair(KeyType.EC);
    X500Name subject = new X500Name("CN=" + name + ",O=Citizen Gateway tests");
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), new Date(System.currentTimeMillis()
        - 3_600_000), Date.from(Instant.now().plus(Duration.ofDays(30))), subject, caKeys.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
    this.ca = sign(b, caKeys.getPrivate());
    this.caFile = dir.resolve(name.replace(' ', '-') + ".pem");
    Files.writeString(caFile, pem(ca));
  }

  /** A new CA named {@code name}, its certificate in {@code dir}. */
  public static TestCertificates create(Path dir, String name) throws Exception {
    return new TestCertificates(dir, name);
  }

  /** A new CA named "Test CA". */
  public static TestCertificates create(Path dir) throws Exception {
    return create(dir, "Test CA");
  }

  public Path caFile() {
    return caFile;
  }

  public X509Certificate ca() {
    return ca;
  }

  /** An EC server certificate for 127.0.0.1, ::1 and localhost, files {@code <file>.pem} and {@code <file>-key.pem}. */
  public Issued server(String file) throws Exception {
    return server(file, "localhost", KeyType.EC, List.of("127.0.0.1", "::1", "localhost"));
  }

  /** A server certificate for {@code names} (IP addresses or DNS names). */
  public Issued server(String file, String commonName, KeyType type, List<String> names) throws Exception {
    return issue(file, commonName, type, names, KeyPurposeId.id_kp_serverAuth, KeyFormat.PKCS8);
  }

  /** A client certificate (for mutual TLS). */
  public Issued client(String file, String commonName) throws Exception {
    return issue(file, commonName, KeyType.EC, List.of(), KeyPurposeId.id_kp_clientAuth, KeyFormat.PKCS8);
  }

  /** Any certificate this CA issues. */
  public Issued issue(String file, String commonName, KeyType type, List<String> names, KeyPurposeId purpose,
      KeyFormat format) throws Exception {
    KeyPair keys = keyPair(type);
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(),
        new Date(System.currentTimeMillis() - 3_600_000), Date.from(Instant.now().plus(Duration.ofDays(7))),
        new X500Name("CN=" + commonName), keys.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    int usage = KeyUsage.digitalSignature | (type == KeyType.RSA ? KeyUsage.keyEncipherment : 0);
    b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
    if (!names.isEmpty()) {
      List<GeneralName> sans = new ArrayList<>();
      for (String n : names) {
        boolean ip = n.matches("[0-9.]+") || n.contains(":");
        sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
      }
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
    }
    X509Certificate cert = sign(b, caKeys.getPrivate());
    Path certFile = dir.resolve(file + ".pem");
    Path keyFile = dir.resolve(file + "-key.pem");
    writeAtomically(certFile, pem(cert));
    writeAtomically(keyFile, format == KeyFormat.PKCS8 ? pkcs8(keys.getPrivate()) : pem(keys.getPrivate()));
    return new Issued(cert, keys.getPrivate(), certFile, keyFile);
  }

  /** A client SSLContext that trusts this CA only, optionally presenting {@code client}. */
  public SSLContext clientContext(Issued client) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", client.key(), new char[0], new X509Certificate[] {client.certificate()});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
    return ctx;
  }

  /** Replaces {@code target} by {@code source}'s content in one rename, as certificate tooling does. */
  public static void replace(Path source, Path target) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".replace", ".tmp");
    Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Writes {@code text} to {@code target} in one rename. */
  public static void writeAtomically(Path target, String text) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".write", ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(new JcaMiscPEMGenerator(o));
    }
    return w.toString();
  }

  private static String pkcs8(PrivateKey key) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(new JcaPKCS8Generator(key, null));
    }
    return w.toString();
  }

  private static KeyPair keyPair(KeyType type) throws Exception {
    if (type == KeyType.RSA) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(
        key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA").build(key)));
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }
}
