package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An {@code Upgrade: websocket} header must not switch the request checks off: until an upgrade is
 * really accepted (101), every byte that will be parsed as HTTP is still checked, so nothing can
 * be smuggled behind an upgrade request, whether the service refuses it or there is no route.
 */
@Timeout(30)
class UpgradeGuardBlackBoxTest {
  @AutoClose
  private static TestGateway t;
  private static TestGateway.RecordingBackend backend;

  private static final String SMUGGLED = "POST /api/smuggled HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
      + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/smuggled2 HTTP/1.1\r\nHost: h\r\n\r\n";

  @BeforeAll
  static void start() throws Exception {
    t = TestGateway.create();
    backend = t.recordingBackend("b"); // a plain HTTP service: it answers 200 to upgrade requests
    t.startGateway("""
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
        %s
        routes:
          - {id: api, match: {path: /api/**}, service: b}
        """.formatted(TestGateway.service("b", backend.port)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Upgrade: websocket\r\nConnection: Upgrade\r\n",
      "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n",
      "Upgrade: WebSocket\r\n",
  })
  void refusedUpgradeCannotCarryASmuggledRequest(String upgradeHeaders) throws Exception {
    String response = RawHttp.exchange(t.port(), "GET /api/ws HTTP/1.1\r\nHost: h\r\n" + upgradeHeaders + "\r\n"
        + SMUGGLED, 3000);
    assertTrue(response.startsWith("HTTP/1.1 200 "), "the service's refusal is relayed: " + response);
    assertEquals(1, RawHttp.responseCount(response), "nothing behind the upgrade is answered: " + response);
    Thread.sleep(100);
    assertFalse(backend.uris().stream().anyMatch(u -> u.startsWith("/api/smuggled")),
        "the ambiguous request behind the upgrade reached the service: " + backend.uris());
  }

  @Test
  void upgradeWithoutARouteKeepsTheConnectionGuarded() throws Exception {
    int before = backend.started.get();
    String response = RawHttp.exchange(t.port(), "GET /nowhere HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\n\r\n" + SMUGGLED, 3000);
    assertEquals(404, RawHttp.statusOf(response), response);
    assertEquals(2, RawHttp.responseCount(response), "the 404, then the guard's 400: " + response);
    assertTrue(response.contains("HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json"), response);
    Thread.sleep(100);
    assertEquals(before, backend.started.get(), "nothing reached the service");
  }

  @Test
  void afterARefusedUpgradeLimitsStillApply() throws Exception {
    int before = backend.started.get();
    String response = RawHttp.exchange(t.port(), "GET /nowhere HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n"
        + "GET /api/big HTTP/1.1\r\nHost: h\r\nX-Pad: " + "p".repeat(20_000) + "\r\n\r\n", 3000);
    assertEquals(404, RawHttp.statusOf(response), response);
    assertTrue(response.contains("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/problem+json"),
        "the guard refuses the oversized head after it: " + response);
    assertFalse(response.endsWith("<<timeout>>"), "and closes: " + response);
    Thread.sleep(100);
    assertEquals(before, backend.started.get());
  }
}
