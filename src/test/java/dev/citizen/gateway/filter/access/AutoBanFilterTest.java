package dev.citizen.gateway.filter.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.client.BanPolicy;
import dev.citizen.gateway.client.Bans;
import dev.citizen.gateway.client.CidrSet;
import dev.citizen.gateway.config.ConfigLoader;
import dev.citizen.gateway.config.GatewayConfig;
import dev.citizen.gateway.filter.Filter;
import dev.citizen.gateway.filter.Phase;
import dev.citizen.gateway.filter.Response;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoBanFilterTest {
  /** Records the failures it is told about. */
  private static final class RecordingBans implements Bans {
    final List<String> failed = new ArrayList<>();

    @Override
    public boolean isBanned(String address) {
      return false;
    }

    @Override
    public void authenticationFailed(String address, BanPolicy policy) {
      failed.add(address);
    }

    @Override
    public Future<List<dev.citizen.gateway.client.Ban>> list() {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<Boolean> lift(String address) {
      return Future.succeededFuture(false);
    }

    @Override
    public Future<Integer> liftAll() {
      return Future.succeededFuture(0);
    }
  }

  private static final BanPolicy POLICY = new BanPolicy(3, 300_000, 900_000, 100);
  private final RecordingBans bans = new RecordingBans();

  private static Response upstream(int status) {
    return Response.buffered(status, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer());
  }

  private void run(Filter f, String client, Response answer) {
    Response r = f.handle(FakeExchange.of(client), ex -> Future.succeededFuture(answer)).result();
    assertEquals(answer, r, "the response passes unchanged");
  }

  @Test
  void gatewayMade401CountsOnAnAuthRoute() {
    Filter f = new AutoBanFilter(bans, POLICY, false, CidrSet.EMPTY);
    assertEquals(Phase.EDGE, f.phase());
    run(f, "203.0.113.7", Response.problem(401, "unauthorized", "bad token"));
    run(f, "203.0.113.7", upstream(401)); // the service's own 401: not counted here
    run(f, "203.0.113.7", upstream(200));
    run(f, "203.0.113.7", Response.problem(403, "forbidden", null));
    assertEquals(List.of("203.0.113.7"), bans.failed);
  }

  @Test
  void any401CountsOnALoginRoute() {
    Filter f = new AutoBanFilter(bans, POLICY, true, CidrSet.EMPTY);
    run(f, "203.0.113.7", upstream(401));
    run(f, "203.0.113.8", Response.problem(401, "unauthorized", null));
    run(f, "203.0.113.9", upstream(403));
    assertEquals(List.of("203.0.113.7", "203.0.113.8"), bans.failed);
  }

  @Test
  void trustedProxiesAndExemptAddressesAreNeverCounted() throws Exception {
    GatewayConfig config = new ConfigLoader().parse("""
        services: {s: {endpoints: [{url: "http://127.0.0.1:9"}]}}
        routes: [{id: login, match: {path: /login}, service: s, login: true}]
        security:
          trustedProxies: [10.0.0.0/8]
          autoBan: {exempt: ["192.0.2.0/24"]}
        """, "test.yaml");
    Filter f = AutoBanFilter.forRoute(config.routes().get(0), config.security(), bans).orElseThrow();
    run(f, "10.1.1.1", upstream(401));
    run(f, "192.0.2.9", upstream(401));
    run(f, "203.0.113.7", upstream(401));
    assertEquals(List.of("203.0.113.7"), bans.failed);
  }

  @Test
  void onlyOnRoutesWithAuthOrLoginAndWhenEnabled() throws Exception {
    GatewayConfig config = new ConfigLoader().parse("""
        services: {s: {endpoints: [{url: "http://127.0.0.1:9"}]}}
        routes:
          - {id: plain, match: {path: /a}, service: s}
          - {id: login, match: {path: /login}, service: s, login: true}
        """, "test.yaml");
    assertTrue(AutoBanFilter.forRoute(config.routes().get(0), config.security(), bans).isEmpty());
    assertTrue(AutoBanFilter.forRoute(config.routes().get(1), config.security(), bans).isPresent());
    GatewayConfig off = new ConfigLoader().parse("""
        services: {s: {endpoints: [{url: "http://127.0.0.1:9"}]}}
        routes: [{id: login, match: {path: /login}, service: s, login: true}]
        security: {autoBan: {enabled: false}}
        """, "test.yaml");
    assertTrue(AutoBanFilter.forRoute(off.routes().get(0), off.security(), bans).isEmpty());
  }
}
