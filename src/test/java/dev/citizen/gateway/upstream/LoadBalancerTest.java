package dev.citizen.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadBalancerTest {
  private static Endpoint[] endpoints(int n) {
    Endpoint[] e = new Endpoint[n];
    for (int i = 0; i < n; i++) {
      e[i] = Endpoint.of("http://127.0.0.1:" + (9000 + i));
    }
    return e;
  }

  private static int[] ones(int n) {
    int[] w = new int[n];
    java.util.Arrays.fill(w, 1);
    return w;
  }

  @Test
  void roundRobinSkipsEndpointsThatCannotTakeTraffic() {
    Endpoint[] e = endpoints(3);
    LoadBalancer lb = new RoundRobinLoadBalancer(e, ones(3));
    e[1].healthy(false);
    long now = System.nanoTime();
    e[2].ejectUntil(now + 1_000_000_000L);
    for (int i = 0; i < 10; i++) {
      assertSame(e[0], lb.pick(null, null, now));
    }
    e[0].healthy(false);
    assertNull(lb.pick(null, null, now), "none available");
    assertSame(e[2], lb.pick(null, null, now + 2_000_000_000L), "the ejection ended");
  }

  @Test
  void retryAvoidsTheLastEndpointUnlessItIsTheOnlyOne() {
    Endpoint[] e = endpoints(2);
    LoadBalancer lb = new RoundRobinLoadBalancer(e, ones(2));
    long now = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      assertSame(e[1], lb.pick(null, e[0], now));
    }
    e[1].healthy(false);
    assertSame(e[0], lb.pick(null, e[0], now));
  }

  @Test
  void zeroWeightEndpointGetsNothing() {
    Endpoint[] e = endpoints(2);
    LoadBalancer lb = new RoundRobinLoadBalancer(e, new int[] {1, 0});
    for (int i = 0; i < 10; i++) {
      assertSame(e[0], lb.pick(null, null, System.nanoTime()));
    }
  }

  @Test
  void leastRequestPrefersFewerInFlight() {
    Endpoint[] e = endpoints(2);
    LoadBalancer lb = new LeastRequestLoadBalancer(e, ones(2));
    for (int i = 0; i < 5; i++) {
      e[0].started();
    }
    Map<Endpoint, Integer> picks = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      picks.merge(lb.pick(null, null, System.nanoTime()), 1, Integer::sum);
    }
    // e[0] wins only when both draws hit it (1 in 4).
    assertTrue(picks.get(e[1]) > 650, picks.toString());
    e[1].healthy(false);
    assertSame(e[0], lb.pick(null, null, System.nanoTime()), "the only available one, however busy");
  }

  @Test
  void consistentHashRingIsSpreadByWeight() {
    Endpoint[] e = endpoints(2);
    ConsistentHashLoadBalancer lb = new ConsistentHashLoadBalancer(e, new int[] {3, 1}, "X-Key", null);
    Map<Endpoint, Integer> owners = new HashMap<>();
    for (int k = 0; k < 4000; k++) {
      owners.merge(lb.pickForKey("k" + k), 1, Integer::sum);
    }
    double share = owners.get(e[0]) / 4000.0;
    assertTrue(share > 0.65 && share < 0.85, "weight 3 of 4 owns about 75%: " + share);
  }

  @Test
  void cookieValueIsFoundAmongOthers() {
    assertEquals("abc", ConsistentHashLoadBalancer.cookieValue("a=1; session=abc; b=2", "session"));
    assertEquals("abc", ConsistentHashLoadBalancer.cookieValue("session=abc", "session"));
    assertNull(ConsistentHashLoadBalancer.cookieValue("mysession=abc; x=1", "session"));
    assertNull(ConsistentHashLoadBalancer.cookieValue("a=1", "session"));
    assertNull(ConsistentHashLoadBalancer.cookieValue(null, "session"));
    assertEquals("", ConsistentHashLoadBalancer.cookieValue("session=; a=1", "session"));
  }
}
