package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code X-Request-Id}: a well-formed client id is kept, anything else replaced by a fresh 32-hex
 * id; whichever id is used, the client and the service see the same one.
 */
@Timeout(30)
class RequestIdTest {
  private static final String NEW_ID = "[0-9a-f]{32}";

  @AutoClose
  private TestGateway t;
  /** The X-Request-Id values (all lines) of each request the backend saw. */
  private final BlockingQueue<List<String>> upstreamIds = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    t = TestGateway.create();
    int backend = t.httpBackend(req -> {
      upstreamIds.add(List.copyOf(req.headers().getAll("X-Request-Id")));
      req.response().end("ok");
    });
    t.startGateway(TestGateway.simpleConfig(backend, "5s", "10s"));
  }

  /** Sends a GET with the given extra header lines; returns [response id lines, upstream id lines]. */
  private List<List<String>> roundTrip(String extraHeaders) throws Exception {
    String r = RawHttp.responseTo(t.port(), "GET /id HTTP/1.1\r\nHost: h\r\n" + extraHeaders + "\r\n");
    assertEquals(200, RawHttp.statusOf(r), r);
    List<String> upstream = upstreamIds.poll(5, TimeUnit.SECONDS);
    return List.of(RawHttp.headerLines(r, "X-Request-Id"), upstream);
  }

  @Test
  void wellFormedClientIdIsKept() throws Exception {
    List<List<String>> ids = roundTrip("X-Request-Id: abc-123\r\n");
    assertEquals(List.of("abc-123"), ids.get(0));
    assertEquals(List.of("abc-123"), ids.get(1));
  }

  @Test
  void idWithSpaceAndBangIsReplaced() throws Exception {
    List<List<String>> ids = roundTrip("X-Request-Id: bad id!\r\n");
    assertReplaced(ids, "bad id!");
  }

  @Test
  void tooLongIdIsReplaced() throws Exception {
    String longId = "a".repeat(200);
    List<List<String>> ids = roundTrip("X-Request-Id: " + longId + "\r\n");
    assertReplaced(ids, longId);
  }

  @Test
  void missingIdIsCreated() throws Exception {
    List<List<String>> ids = roundTrip("");
    assertReplaced(ids, null);
  }

  @Test
  void newIdsDifferPerRequest() throws Exception {
    String a = roundTrip("").get(0).get(0);
    String b = roundTrip("").get(0).get(0);
    assertNotEquals(a, b);
  }

  @Test
  void idIsOnLocalRepliesToo() throws Exception {
    String r = RawHttp.responseTo(t.port(), "GET /a/%2F HTTP/1.1\r\nHost: h\r\nX-Request-Id: local-1\r\n\r\n");
    assertEquals(400, RawHttp.statusOf(r), r);
    assertEquals(List.of("local-1"), RawHttp.headerLines(r, "X-Request-Id"));
    assertTrue(RawHttp.bodyOf(r).contains("\"requestId\":\"local-1\""), r);
  }

  private static void assertReplaced(List<List<String>> ids, String clientId) {
    List<String> returned = ids.get(0);
    List<String> upstream = ids.get(1);
    assertEquals(1, returned.size(), returned::toString);
    String id = returned.get(0);
    assertTrue(id.matches(NEW_ID), id);
    assertNotEquals(clientId, id);
    assertEquals(List.of(id), upstream, "the service must see the id the client got");
  }
}
