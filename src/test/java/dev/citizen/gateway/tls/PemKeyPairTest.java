package dev.citizen.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading certificate and key files: the PEM forms accepted, and errors that name the file at fault. */
@Timeout(30)
class PemKeyPairTest {
  @TempDir
  static Path dir;
  static TestCertificates pki;

  @BeforeAll
  static void pki() throws Exception {
    pki = TestCertificates.create(dir);
  }

  /**
   * PKCS#8 for both key types and PKCS#1 for RSA. (SEC1 "EC PRIVATE KEY" works as OpenSSL writes
   * it; the JDK's EC keys written as SEC1 lack the optional public key, which Vert.x's reader
   * needs, so that combination is not generated here.)
   */
  @Test
  void everyPemKeyFormVertxReadsIsAccepted() throws Exception {
    for (TestCertificates.KeyType type : TestCertificates.KeyType.values()) {
      for (TestCertificates.KeyFormat format : TestCertificates.KeyFormat.values()) {
        if (type == TestCertificates.KeyType.EC && format == TestCertificates.KeyFormat.TRADITIONAL) {
          continue;
        }
        TestCertificates.Issued cert = pki.issue("s-" + type + "-" + format, "s", type, List.of("localhost"),
            KeyPurposeId.id_kp_serverAuth, format);
        PemKeyPair pair = PemKeyPair.read(cert.certFile(), cert.keyFile());
        assertEquals(cert.certificate(), pair.leaf(), type + " " + format);
        String key = Files.readString(cert.keyFile());
        String expected = format == TestCertificates.KeyFormat.PKCS8 ? "BEGIN PRIVATE KEY"
            : "BEGIN " + type + " PRIVATE KEY";
        assertTrue(key.contains(expected), key);
      }
    }
  }

  @Test
  void aChainFileKeepsItsOrderAndTheLeafIsFirst() throws Exception {
    TestCertificates.Issued cert = pki.server("chain");
    Files.writeString(cert.certFile(), Files.readString(cert.certFile()) + Files.readString(pki.caFile()));
    PemKeyPair pair = PemKeyPair.read(cert.certFile(), cert.keyFile());
    assertEquals(cert.certificate(), pair.leaf());
    assertTrue(pair.describe().contains("with 1 chain certificates"), pair.describe());
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedNamingTheKeyFile() throws Exception {
    TestCertificates.Issued a = pki.server("a");
    TestCertificates.Issued b = pki.server("b");
    TlsFileException e = assertThrows(TlsFileException.class, () -> PemKeyPair.read(a.certFile(), b.keyFile()));
    assertEquals(TlsFileException.Part.KEY, e.part());
    assertEquals(b.keyFile(), e.file());
    assertTrue(e.problem().contains("is not the key of the certificate in " + a.certFile()), e.problem());
  }

  @Test
  void anRsaKeyForAnEcCertificateIsRefused() throws Exception {
    TestCertificates.Issued ec = pki.server("ec");
    TestCertificates.Issued rsa = pki.server("rsa", "rsa", TestCertificates.KeyType.RSA, List.of("localhost"));
    TlsFileException e = assertThrows(TlsFileException.class, () -> PemKeyPair.read(ec.certFile(), rsa.keyFile()));
    assertEquals(TlsFileException.Part.KEY, e.part());
    assertTrue(e.problem().startsWith("is not the key of the certificate in " + ec.certFile()), e.problem());
  }

  @Test
  void unreadableAndNonPemFilesNameTheirFile() throws Exception {
    TestCertificates.Issued ok = pki.server("ok");
    Path missing = dir.resolve("missing.pem");
    TlsFileException e = assertThrows(TlsFileException.class, () -> PemKeyPair.read(missing, ok.keyFile()));
    assertEquals(TlsFileException.Part.CERT, e.part());
    assertEquals("cannot be read (no such file)", e.problem());

    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not a certificate\n");
    e = assertThrows(TlsFileException.class, () -> PemKeyPair.read(garbage, ok.keyFile()));
    assertEquals(TlsFileException.Part.CERT, e.part());
    assertTrue(e.problem().startsWith("holds no certificate"), e.problem());

    e = assertThrows(TlsFileException.class, () -> PemKeyPair.read(ok.certFile(), garbage));
    assertEquals(TlsFileException.Part.KEY, e.part());
    assertTrue(e.problem().startsWith("holds no usable private key"), e.problem());

    Path broken = dir.resolve("broken.pem");
    Files.writeString(broken, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    e = assertThrows(TlsFileException.class, () -> PemKeyPair.read(broken, ok.keyFile()));
    assertTrue(e.problem().startsWith("holds a broken certificate"), e.problem());

    e = assertThrows(TlsFileException.class, () -> PemKeyPair.read(dir, ok.keyFile()));
    assertTrue(e.problem().startsWith("cannot be read"), e.problem());
  }

  @Test
  void sameContentTellsARealChangeFromATouch() throws Exception {
    TestCertificates.Issued cert = pki.server("same");
    PemKeyPair pair = PemKeyPair.read(cert.certFile(), cert.keyFile());
    assertTrue(pair.sameContent(Files.readAllBytes(cert.certFile()), Files.readAllBytes(cert.keyFile())));
    assertTrue(!pair.sameContent(Files.readAllBytes(cert.certFile()), Files.readAllBytes(pki.caFile())));
    assertEquals(pair.keyCertOptions(), PemKeyPair.read(cert.certFile(), cert.keyFile()).keyCertOptions(),
        "equal content gives equal Vert.x options (its SSL context cache key)");
  }
}
