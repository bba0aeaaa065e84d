package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.tls.TestCertificates;
import dev.citizen.gateway.tls.TlsPolicy;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener (server.tls) with an RSA certificate, so that RSA key exchange would be
 * possible if it were offered: TLS 1.2 and 1.3 only, forward-secret AEAD suites only, ALPN, the
 * request guard still in front of HTTP/1.1, no plain HTTP on the TLS port, and no client-initiated
 * renegotiation. What the JDK client cannot offer (TLS 1.0/1.1, non-FS and CBC suites) is offered
 * by {@code openssl s_client} at security level 0, so a refusal is the gateway's.
 */
@Timeout(60)
class TlsListenerTest {
  @TempDir
  static Path dir;
  static TestCertificates pki;
  static TestGateway t;
  static SSLContext client;
  static final AtomicReference<String> forwardedProto = new AtomicReference<>();

  @BeforeAll
  static void start() throws Exception {
    pki = TestCertificates.create(dir);
    TestCertificates.Issued cert = pki.server("rsa", "localhost", TestCertificates.KeyType.RSA,
        List.of("127.0.0.1", "localhost"));
    client = pki.clientContext(null);
    t = TestGateway.create();
    int backend = t.httpBackend(req -> {
      forwardedProto.set(req.getHeader("X-Forwarded-Proto"));
      req.response().end("hello from " + req.path());
    });
    t.startGateway(TlsClients.gatewayConfig(backend, cert, ""));
  }

  @AfterAll
  static void stop() throws Exception {
    if (t != null) {
      t.close();
    }
  }

  private static String get(SSLSocket s, String path) throws IOException {
    return TlsClients.exchange(s, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  }

  @Test
  void tls12And13HandshakesServeRequests() throws Exception {
    for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
      try (SSLSocket s = TlsClients.handshake(client, t.port(), new String[] {protocol}, null)) {
        assertEquals(protocol, s.getSession().getProtocol());
        String suite = s.getSession().getCipherSuite();
        assertTrue(TlsPolicy.SERVER_CIPHER_SUITES.contains(suite), suite);
        if (protocol.equals("TLSv1.2")) {
          assertTrue(suite.startsWith("TLS_ECDHE_RSA_WITH_") && !suite.contains("CBC"), suite);
        }
        String response = get(s, "/x");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(response.endsWith("hello from /x"), response);
        assertEquals("https", forwardedProto.get(), "the service learns the client used https");
      }
    }
  }

  /**
   * Security headers over TLS: HSTS (two years, subdomains) on proxied answers and on the
   * gateway's own 400; no product name in the head.
   */
  @Test
  void tlsAnswersCarryHstsAndTheOtherSecurityHeaders() throws Exception {
    for (String path : List.of("/x", "/a%2Fb")) { // proxied, and the gateway's own 400 (encoded slash)
      try (SSLSocket s = TlsClients.handshake(client, t.port(), new String[] {"TLSv1.3"}, null)) {
        String response = get(s, path);
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
        assertTrue(head.contains("\r\nstrict-transport-security: max-age=63072000; includesubdomains\r\n"), head);
        assertTrue(head.contains("\r\nx-content-type-options: nosniff\r\n"), head);
        assertTrue(head.contains("\r\nx-frame-options: deny\r\n"), head);
        assertFalse(head.contains("\r\nserver:"), head);
      }
    }
  }

  @Test
  void tls10And11AreRefused() throws Exception {
    for (String old : List.of("-tls1", "-tls1_1")) {
      TlsClients.OpenSsl r = TlsClients.sClient(t.port(), old, "-cipher", "DEFAULT:@SECLEVEL=0");
      assertFalse(r.connected(), r.output());
      assertTrue(r.output().contains("alert protocol version"), old + ": the server refuses it:\n" + r.output());
    }
    TlsClients.OpenSsl ok = TlsClients.sClient(t.port(), "-tls1_2", "-cipher", "DEFAULT:@SECLEVEL=0");
    assertTrue(ok.connected(), "control: the same client with TLS 1.2 connects\n" + ok.output());
  }

  @Test
  void nonForwardSecretAndCbcSuitesAreRefused() throws Exception {
    // RSA key exchange (no forward secrecy), ECDHE with CBC, 3DES, RC4 and NULL: each alone.
    for (String suite : List.of("AES128-GCM-SHA256", "AES256-SHA", "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA",
        "DES-CBC3-SHA", "RC4-SHA", "NULL-SHA256", "DHE-RSA-AES128-GCM-SHA256")) {
      TlsClients.OpenSsl r = TlsClients.sClient(t.port(), "-tls1_2", "-cipher", suite + ":@SECLEVEL=0");
      assertFalse(r.connected(), suite + " must be refused:\n" + r.output());
    }
    TlsClients.OpenSsl ok = TlsClients.sClient(t.port(), "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
    assertTrue(ok.connected(), "control: an ECDHE AEAD suite connects\n" + ok.output());
    // The JDK client, which still offers TLS_RSA_* suites: with only those, no handshake.
    assertThrows(SSLHandshakeException.class, () -> TlsClients.handshake(client, t.port(), new String[] {"TLSv1.2"},
        new String[] {"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384"}).close());
  }

  @Test
  void alpnOffersH2ThenHttp11() throws Exception {
    try (SSLSocket s = TlsClients.handshake(client, t.port(), null, null, "h2", "http/1.1")) {
      assertEquals("h2", s.getApplicationProtocol());
    }
    try (SSLSocket s = TlsClients.handshake(client, t.port(), null, null, "http/1.1")) {
      assertEquals("http/1.1", s.getApplicationProtocol());
      assertTrue(get(s, "/alpn").startsWith("HTTP/1.1 200 "));
    }
    try (SSLSocket s = TlsClients.handshake(client, t.port(), null, null)) {
      assertEquals("", s.getApplicationProtocol(), "no ALPN offered: none chosen");
      assertTrue(get(s, "/no-alpn").startsWith("HTTP/1.1 200 "), "and HTTP/1.1 is served");
    }
  }

  @Test
  void plainHttpOnTheTlsPortIsNotServed() throws Exception {
    try (Socket s = new Socket("127.0.0.1", t.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write("GET /plain HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = TlsClients.readAll(s.getInputStream());
      assertFalse(answer.contains("hello"), answer);
      assertFalse(answer.startsWith("HTTP/1.1 2"), answer);
    }
  }

  @Test
  void theRequestGuardStillChecksHttp11OverTls() throws Exception {
    try (SSLSocket s = TlsClients.handshake(client, t.port(), null, null, "http/1.1")) {
      String response = TlsClients.exchange(s, "POST /smuggle HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
      assertTrue(response.startsWith("HTTP/1.1 400 "), response);
      assertTrue(response.contains("application/problem+json"), response);
    }
  }

  /**
   * Java's TLS 1.2 server accepts a renegotiation the client asks for unless told otherwise
   * (CVE-2011-1473: each costs the server a full handshake). The gateway tells it otherwise.
   */
  @Test
  void clientInitiatedRenegotiationIsRefused() throws Exception {
    TlsClients.OpenSsl r = TlsClients.sClientTyping(t.port(), "R\n", "-tls1_2");
    assertTrue(r.output().contains("RENEGOTIATING"), "the client asked:\n" + r.output());
    assertTrue(r.output().contains("alert handshake failure"), "the server refused:\n" + r.output());
    assertEquals(1, r.exit(), r.output());
  }
}
