package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.tls.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server.tls.redirectPort}: a plain-HTTP listener that answers every request with a redirect
 * to the same host, path and query on the TLS port (301 for GET and HEAD, 308 for other methods),
 * closes the connection, and proxies nothing.
 */
@Timeout(60)
class RedirectListenerTest {
  @TempDir
  Path dir;

  @Test
  void everyRequestIsRedirectedToHttpsAndNothingIsProxied() throws Exception {
    TestCertificates pki = TestCertificates.create(dir);
    try (TestGateway t = TestGateway.create()) {
      TestGateway.RecordingBackend backend = t.recordingBackend("backend");
      t.startGateway(TlsClients.gatewayConfig(backend.port, pki.server("server"), ", redirectPort: 0"));
      int http = t.gateway.redirectPort();
      assertTrue(http > 0 && http != t.port(), "the redirect listener's port is exposed: " + http);
      String https = "https://127.0.0.1:" + t.port();

      String get = RawHttp.exchange(http, "GET /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:" + http + "\r\n\r\n", 5000);
      assertEquals(301, RawHttp.statusOf(get), get);
      assertEquals(https + "/x?y=1", RawHttp.headerOf(get, "Location"));
      assertEquals("close", RawHttp.headerOf(get, "Connection"), "one answer per connection, then it closes");
      assertEquals(1, RawHttp.responseCount(get));

      String head = RawHttp.exchange(http, "HEAD /a%20b/c HTTP/1.1\r\nHost: Example.org\r\n\r\n", 5000);
      assertEquals(301, RawHttp.statusOf(head), head);
      assertEquals("https://Example.org:" + t.port() + "/a%20b/c", RawHttp.headerOf(head, "Location"),
          "the client's host, without its port, and the target as sent");

      String post = RawHttp.exchange(http, "POST /api/patients HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\n"
          + "hello", 5000);
      assertEquals(308, RawHttp.statusOf(post), "308 keeps the method and body: " + post);
      assertEquals("https://localhost:" + t.port() + "/api/patients", RawHttp.headerOf(post, "Location"));

      String v6 = RawHttp.exchange(http, "DELETE /d HTTP/1.1\r\nHost: [::1]:" + http + "\r\n\r\n", 5000);
      assertEquals(308, RawHttp.statusOf(v6), v6);
      assertEquals("https://[::1]:" + t.port() + "/d", RawHttp.headerOf(v6, "Location"));

      String http10 = RawHttp.exchange(http, "GET /old HTTP/1.0\r\n\r\n", 5000);
      assertEquals(301, RawHttp.statusOf(http10), http10);
      assertEquals("https://127.0.0.1:" + t.port() + "/old", RawHttp.headerOf(http10, "Location"),
          "without a Host, the address the client connected to");

      String badHost = RawHttp.exchange(http, "GET / HTTP/1.1\r\nHost: evil.example\"><script>\r\n\r\n", 5000);
      assertNotEquals(301, RawHttp.statusOf(badHost), badHost);
      assertTrue(RawHttp.headerOf(badHost, "Location") == null, badHost);

      // A client that follows the redirect lands on the TLS listener.
      HttpClient follow = HttpClient.newBuilder().sslContext(pki.clientContext(null))
          .followRedirects(HttpClient.Redirect.ALWAYS).build();
      HttpResponse<String> followed = follow.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + http + "/followed?z=2")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, followed.statusCode());
      assertEquals(URI.create(https + "/followed?z=2"), followed.uri());
      assertEquals("/followed?z=2", backend.uris().get(0));
      assertEquals(1, backend.started.get(), "only the request that followed the redirect to https reached the "
          + "service; nothing sent in clear text did");
    }
  }
}
