package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.citizen.gateway.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's certificate and key files are watched (every 100 ms here, as the harness sets the
 * reload interval): a replaced pair serves the next handshake without a restart; a broken
 * certificate, or a key that is not the certificate's, is logged once as an error naming the file
 * while the certificate in use keeps serving; a reload that names other files switches to them.
 */
@Timeout(60)
class CertificateReloadTest {
  @TempDir
  Path dir;

  private static String servedName(SSLContext client, int port) throws Exception {
    try (SSLSocket s = TlsClients.handshake(client, port, null, null)) {
      X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
      return peer.getSubjectX500Principal().getName();
    }
  }

  @Test
  void replacedFilesServeNewHandshakesAndBrokenOnesAreRefused() throws Exception {
    TestCertificates pki = TestCertificates.create(dir);
    TestCertificates.Issued first = pki.server("first", "first", TestCertificates.KeyType.EC, List.of("127.0.0.1"));
    TestCertificates.Issued second = pki.server("second", "second", TestCertificates.KeyType.RSA, List.of("127.0.0.1"));
    TestCertificates.Issued third = pki.server("third", "third", TestCertificates.KeyType.EC, List.of("127.0.0.1"));
    Path cert = dir.resolve("serving.pem");
    Path key = dir.resolve("serving-key.pem");
    Files.copy(first.certFile(), cert);
    Files.copy(first.keyFile(), key);
    TestCertificates.Issued serving = new TestCertificates.Issued(null, null, cert, key);
    SSLContext client = pki.clientContext(null);
    try (TestGateway t = TestGateway.create();
        LogCapture log = LogCapture.of("dev.citizen.gateway.server.CertificateWatcher")) {
      int backend = t.httpBackend(req -> req.response().end("ok"));
      t.startGateway(TlsClients.gatewayConfig(backend, serving, ""));
      assertEquals("CN=first", servedName(client, t.port()));
      try (SSLSocket open = TlsClients.handshake(client, t.port(), null, null)) {
        // Replaced key first, then certificate, each in one rename: in between, a mismatch is seen
        // (and logged) or not, depending on the poll; either way the pair ends up served.
        TestCertificates.replace(second.keyFile(), key);
        TestCertificates.replace(second.certFile(), cert);
        assertTrue(TestGateway.eventually(5000, () -> name(client, t.port()).equals("CN=second")),
            "the new certificate serves new handshakes");
        assertNotNull(log.await(2000, l -> l.level() == Level.INFO && l.message().contains("new certificate from "
            + cert)));
        assertEquals("CN=first", ((X509Certificate) open.getSession().getPeerCertificates()[0])
            .getSubjectX500Principal().getName(), "an open connection keeps its session");
        assertTrue(TlsClients.exchange(open, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .startsWith("HTTP/1.1 200 "), "and is still served");
      }
      int errorsBefore = log.matching(l -> l.level() == Level.ERROR).size();

      TestCertificates.writeAtomically(cert, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
      LogCapture.Line broken = log.awaitCount(3000, errorsBefore + 1, l -> l.level() == Level.ERROR);
      assertNotNull(broken, "a broken certificate file is logged as an error");
      assertTrue(broken.message().contains("certFile " + cert) && broken.message().contains("keeps serving"),
          broken.message());
      Thread.sleep(500); // five more polls of the same broken file
      assertEquals(errorsBefore + 1, log.matching(l -> l.level() == Level.ERROR).size(), "logged once, not per poll");
      assertEquals("CN=second", servedName(client, t.port()), "the certificate in use keeps serving");

      TestCertificates.replace(first.certFile(), cert); // first's certificate with second's key
      LogCapture.Line mismatch = log.awaitCount(3000, errorsBefore + 2, l -> l.level() == Level.ERROR);
      assertNotNull(mismatch);
      assertTrue(mismatch.message().contains("keyFile " + key) && mismatch.message().contains("is not the key of"),
          mismatch.message());
      assertEquals("CN=second", servedName(client, t.port()));

      // A reload that names other files: the watcher follows the config now serving.
      t.rewriteConfig(TlsClients.gatewayConfig(backend, third, ""));
      assertTrue(TestGateway.eventually(5000, () -> name(client, t.port()).equals("CN=third")),
          "the files a reload names are served");
    }
  }

  private static String name(SSLContext client, int port) {
    try {
      return servedName(client, port);
    } catch (Exception e) {
      return e.toString();
    }
  }
}
