package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code Gateway.drain()} in-process, as tests and embedders use it (the CLI calls it on SIGTERM). */
@Timeout(30)
class DrainInProcessTest {
  @Test
  void drainAnnouncesCloseThenClosesTheListenerAndCompletes() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().end("ok"));
      t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s")
          .replace("server: {host: 127.0.0.1, port: 0}",
              "server: {host: 127.0.0.1, port: 0, drain: {delay: 300ms, timeout: 1s}}"));
      int port = t.port();
      var drained = t.gateway.drain();
      assertSame(drained, t.gateway.drain(), "draining twice is the same drain");
      assertFalse(t.gateway.isReady());
      assertTrue(t.gateway.isDraining());

      String during = RawHttp.responseTo(port, "GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
      assertEquals(200, RawHttp.statusOf(during), during);
      assertEquals("close", RawHttp.headerOf(during, "Connection"), during);

      drained.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThrows(ConnectException.class, () -> new RawHttp(port).close(), "the listener is closed");
      t.gateway = null; // closed by the drain
    }
  }
}
