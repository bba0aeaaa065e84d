package dev.citizen.gateway.filter.access;

import dev.citizen.gateway.client.BanPolicy;
import dev.citizen.gateway.client.Bans;
import dev.citizen.gateway.client.CidrSet;
import dev.citizen.gateway.config.AutoBanConfig;
import dev.citizen.gateway.config.RouteConfig;
import dev.citizen.gateway.config.SecurityConfig;
import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Filter;
import dev.citizen.gateway.filter.Next;
import dev.citizen.gateway.filter.Phase;
import dev.citizen.gateway.filter.Response;
import dev.citizen.gateway.http.Problem;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Counts failed authentications for auto-ban ({@code security.autoBan}); the outermost filter of a
 * route with {@code auth} or {@code login: true}, so it sees the response every other filter made.
 * It never answers itself: the ban is enforced before routing, by the request handler.
 *
 * <p>A failure is a 401 the gateway made itself (its authentication refused the credentials: a
 * problem response, whichever filter produced it), or, on a login route, any 401, the service's
 * own included. An upstream 401 on another route is not counted: the service may mean an expired
 * session, or a resource the caller may not see. Successes do not reset the count, or one valid
 * account would let an attacker try passwords for all others between its own logins. The trusted
 * proxies and {@code exempt} are never counted, so a proxy in front is never banned, only the
 * clients it forwards.
 */
public final class AutoBanFilter implements Filter {
  private final Bans bans;
  private final BanPolicy policy;
  private final boolean login;
  private final CidrSet exempt;

  AutoBanFilter(Bans bans, BanPolicy policy, boolean login, CidrSet exempt) {
    this.bans = bans;
    this.policy = policy;
    this.login = login;
    this.exempt = exempt;
  }

  /** The filter for a route with {@code auth} or {@code login}, or empty when it has neither or auto-ban is off. */
  public static Optional<Filter> forRoute(RouteConfig route, SecurityConfig security, Bans bans) {
    AutoBanConfig c = security.autoBan();
    if (!c.enabled() || (route.auth() == null && !route.login())) {
      return Optional.empty();
    }
    List<String> exempt = new ArrayList<>(security.trustedProxies());
    exempt.addAll(c.exempt());
    return Optional.of(new AutoBanFilter(bans, policy(c), route.login(), CidrSet.parse(exempt)));
  }

  static BanPolicy policy(AutoBanConfig c) {
    return new BanPolicy(c.maxFailures(), c.window().toMillis(), c.banFor().toMillis(), c.maxAddresses());
  }

  @Override
  public Future<Response> handle(Exchange exchange, Next next) {
    return next.handle(exchange).onSuccess(r -> {
      if (r != null && isFailedAuthentication(r.status(), r.problem()) && !exempt.contains(exchange.clientAddress())) {
        bans.authenticationFailed(exchange.clientAddress(), policy);
      }
    });
  }

  boolean isFailedAuthentication(int status, Problem problem) {
    return status == 401 && (login || problem != null);
  }

  @Override
  public Phase phase() {
    return Phase.EDGE;
  }
}
