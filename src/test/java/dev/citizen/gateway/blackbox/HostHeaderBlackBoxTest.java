package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Host header Vert.x cannot parse (a percent-encoded byte at its end, as CRS's 920270 and 920274
 * tests send) is answered 400, not left hanging until the idle timeout.
 */
@Timeout(30)
class HostHeaderBlackBoxTest {
  @Test
  void anUnparsableHostIs400() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().end("ok"));
      t.startGateway(TestGateway.simpleConfig(backend));
      for (String host : new String[] {"localhost%00", "localhost%1F"}) {
        String r = RawHttp.exchange(t.port(), "GET /?test=1 HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n",
            5000);
        assertEquals(400, RawHttp.statusOf(r), host + ": " + r);
        assertEquals("invalid_host", new JsonObject(RawHttp.bodyOf(r)).getString("code"));
      }
      String ok = RawHttp.exchange(t.port(), "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 5000);
      assertEquals(200, RawHttp.statusOf(ok), ok);
    }
  }
}
