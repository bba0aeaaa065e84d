package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A service endpoint that leads back to the gateway: the request that comes round again is
 * answered 508 on its second pass, instead of circling until the gateway runs out of connections;
 * gateways chained on purpose are no loop, and each adds its own Via entry.
 */
@Timeout(30)
class ProxyLoopTest {

  @Test
  void twoGatewaysThatRouteToEachOtherAnswer508() throws Exception {
    // A service endpoint that is the gateway's own listener is refused by validation; a loop
    // through another gateway (or a load balancer) only shows at run time.
    try (TestGateway a = TestGateway.create(); TestGateway b = TestGateway.create()) {
      int portA = TestGateway.freePort();
      int portB = TestGateway.freePort();
      a.startGateway(onPort(TestGateway.simpleConfig(portB), portA));
      b.startGateway(onPort(TestGateway.simpleConfig(portA), portB));
      long start = System.nanoTime();
      String r = RawHttp.responseTo(portA, "GET /api/x?y=1 HTTP/1.1\r\nHost: a.example\r\n\r\n");
      long millis = (System.nanoTime() - start) / 1_000_000;
      // A -> B -> A: the second arrival at A is refused, and the answer travels back the same way.
      assertEquals(508, RawHttp.statusOf(r), r);
      assertEquals("application/problem+json", RawHttp.headerOf(r, "Content-Type"));
      assertTrue(RawHttp.bodyOf(r).contains("\"code\":\"loop_detected\""), r);
      assertTrue(millis < 5000, "answered after " + millis + " ms");
      // A POST with a body comes back the same way, and the client's connection stays usable.
      try (RawHttp c = new RawHttp(portB)) {
        c.send("POST /b HTTP/1.1\r\nHost: b\r\nContent-Length: 5\r\n\r\nhello");
        assertEquals(508, RawHttp.statusOf(c.readResponse()));
        c.send("GET /c HTTP/1.1\r\nHost: b\r\n\r\n");
        assertEquals(508, RawHttp.statusOf(c.readResponse()));
      }
    }
  }

  private static String onPort(String config, int port) {
    return config.replace("server: {host: 127.0.0.1, port: 0}", "server: {host: 127.0.0.1, port: " + port + "}");
  }

  @Test
  void chainedGatewaysEachAddTheirEntry() throws Exception {
    try (TestGateway inner = TestGateway.create(); TestGateway outer = TestGateway.create()) {
      CompletableFuture<MultiMap> seen = new CompletableFuture<>();
      int backend = inner.httpBackend(req -> {
        seen.complete(HttpHeaders.headers().addAll(req.headers()));
        req.response().end("ok");
      });
      inner.startGateway(TestGateway.simpleConfig(backend));
      outer.startGateway(TestGateway.simpleConfig(inner.port()));
      String r = RawHttp.responseTo(outer.port(), "GET /h HTTP/1.1\r\nHost: h\r\nVia: 1.0 corp-proxy\r\n\r\n");
      assertEquals(200, RawHttp.statusOf(r), r);
      List<String> entries = seen.get(5, TimeUnit.SECONDS).getAll("Via").stream()
          .flatMap(line -> List.of(line.split(",")).stream()).map(String::trim).toList();
      assertEquals(3, entries.size(), entries::toString);
      assertEquals("1.0 corp-proxy", entries.get(0));
      assertTrue(entries.get(1).matches("1\\.1 citizen-[0-9a-f]{12}"), entries::toString);
      assertTrue(entries.get(2).matches("1\\.1 citizen-[0-9a-f]{12}"), entries::toString);
      assertNotEquals(entries.get(1), entries.get(2), "each gateway names itself");
    }
  }
}
