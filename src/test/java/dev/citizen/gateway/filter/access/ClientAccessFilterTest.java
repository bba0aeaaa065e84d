package dev.citizen.gateway.filter.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.config.ClientAccessConfig;
import dev.citizen.gateway.filter.Filter;
import dev.citizen.gateway.filter.Phase;
import dev.citizen.gateway.filter.Response;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientAccessFilterTest {
  private final AtomicInteger passed = new AtomicInteger();

  private Response run(Filter f, String client) {
    return f.handle(FakeExchange.of(client), ex -> {
      passed.incrementAndGet();
      return Future.succeededFuture(Response.buffered(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("ok")));
    }).result();
  }

  private static Filter filter(List<String> allow, List<String> deny) {
    return ClientAccessFilter.forRoute(new ClientAccessConfig(allow, deny, null, null)).orElseThrow();
  }

  @Test
  void denyWinsOverAllow() {
    Filter f = filter(List.of("10.0.0.0/8"), List.of("10.9.0.0/16"));
    assertEquals(Phase.EDGE, f.phase());
    assertEquals(200, run(f, "10.1.2.3").status());
    Response refused = run(f, "10.9.1.1");
    assertEquals(403, refused.status());
    assertEquals("client_forbidden", refused.problem().code());
    assertEquals(403, run(f, "192.0.2.1").status(), "outside the allow list");
    assertEquals(1, passed.get(), "refused requests never reach the rest of the chain");
  }

  @Test
  void denyListAlone() {
    Filter f = filter(null, List.of("192.0.2.0/24", "2001:db8::/32"));
    assertEquals(403, run(f, "192.0.2.77").status());
    assertEquals(403, run(f, "::ffff:192.0.2.77").status(), "IPv4-mapped");
    assertEquals(403, run(f, "2001:db8:0:0:0:0:0:1").status());
    assertEquals(200, run(f, "198.51.100.1").status());
    assertEquals(200, run(f, "0:0:0:0:0:0:0:1").status());
  }

  @Test
  void allowListWithIpv6() {
    Filter f = filter(List.of("::1", "127.0.0.1"), List.of());
    assertEquals(200, run(f, "0:0:0:0:0:0:0:1").status());
    assertEquals(200, run(f, "127.0.0.1").status());
    assertEquals(403, run(f, "0:0:0:0:0:0:0:2").status());
  }

  @Test
  void anUnreadableAddressGetsInOnlyWithoutAnAllowList() {
    ClientAccessFilter denyOnly = (ClientAccessFilter) filter(null, List.of("10.0.0.0/8"));
    ClientAccessFilter withAllow = (ClientAccessFilter) filter(List.of("10.0.0.0/8"), List.of());
    assertTrue(denyOnly.isAllowed(null));
    assertFalse(withAllow.isAllowed(null));
  }

  @Test
  void noListsNoFilter() {
    assertTrue(ClientAccessFilter.forRoute(null).isEmpty());
    assertTrue(ClientAccessFilter.forRoute(new ClientAccessConfig(null, null, true, null)).isEmpty());
  }
}
