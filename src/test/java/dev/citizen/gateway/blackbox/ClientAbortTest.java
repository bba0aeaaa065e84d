package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that leaves before the answer is not the service's failure: it must count neither
 * towards an ejection nor in the circuit breaker. (A load generator stopping with 64 requests in
 * flight once ejected a healthy endpoint.)
 */
@Timeout(30)
class ClientAbortTest {

  @Test
  void clientsLeavingMidRequestDoNotEjectTheEndpointNorOpenTheCircuit() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      var slow = t.recordingBackend("slow", 300);
      var other = t.recordingBackend("other", 300);
      t.startGateway("""
          server: {host: 127.0.0.1, port: 0}
          admin: {host: 127.0.0.1, port: 0}
          services:
            backend:
              endpoints: [{url: "http://127.0.0.1:%d"}, {url: "http://127.0.0.1:%d"}]
              outlierDetection: {consecutiveFailures: 2}
              circuitBreaker: {minimumCalls: 2}
          routes:
            - {id: all, match: {path: /**}, service: backend}
          """.formatted(slow.port, other.port));
      for (int i = 0; i < 20; i++) {
        try (Socket s = new Socket("127.0.0.1", t.port())) {
          OutputStream out = s.getOutputStream();
          out.write(("GET /leave/" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          Thread.sleep(30); // the request reached the service; the client leaves before its answer
        }
      }
      assertTrue(TestGateway.eventually(3000, () -> slow.started.get() + other.started.get() >= 20),
          "every request reached a service (none was refused as ejected or circuit-open)");
      Thread.sleep(400); // the answers the clients left would have come by now
      JsonObject svc = AdminApi.services(t.adminPort()).getJsonObject("backend");
      assertEquals("CLOSED", svc.getJsonObject("circuitBreaker").getString("state"), svc.encodePrettily());
      assertEquals(0, svc.getJsonObject("circuitBreaker").getInteger("failedCalls"), svc.encodePrettily());
      for (String url : new String[] {"http://127.0.0.1:" + slow.port, "http://127.0.0.1:" + other.port}) {
        JsonObject ep = AdminApi.endpoint(t.adminPort(), "backend", url);
        assertEquals("healthy", ep.getString("state"), ep.encode());
        assertEquals(0, ep.getInteger("ejections"), ep.encode());
      }
    }
  }
}
