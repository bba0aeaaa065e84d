package dev.citizen.gateway.filter.access;

import dev.citizen.gateway.client.CidrSet;
import dev.citizen.gateway.client.IpAddress;
import dev.citizen.gateway.config.ClientAccessConfig;
import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Filter;
import dev.citizen.gateway.filter.Next;
import dev.citizen.gateway.filter.Phase;
import dev.citizen.gateway.filter.Response;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * A route's IP allow and deny lists ({@code clients.allow}, {@code clients.deny}): a client in
 * {@code deny} gets 403 {@code client_forbidden}, and so does one outside {@code allow} when there
 * is an allow list. Deny wins. The lists are compiled when the config is; a request costs one
 * address parse and a lookup per distinct prefix length.
 */
public final class ClientAccessFilter implements Filter {
  private final CidrSet allow;
  private final CidrSet deny;

  ClientAccessFilter(CidrSet allow, CidrSet deny) {
    this.allow = allow;
    this.deny = deny;
  }

  /** The filter for a route's {@code clients}, or empty when it has no allow or deny list. */
  public static Optional<Filter> forRoute(ClientAccessConfig clients) {
    if (clients == null || (clients.allow() == null && clients.deny().isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new ClientAccessFilter(clients.allow() == null ? null : CidrSet.parse(clients.allow()),
        CidrSet.parse(clients.deny())));
  }

  @Override
  public Future<Response> handle(Exchange exchange, Next next) {
    return isAllowed(IpAddress.parse(exchange.clientAddress())) ? next.handle(exchange)
        : Future.succeededFuture(Response.problem(403, "client_forbidden", "this client may not use this route"));
  }

  /**
   * Deny wins; then the allow list, if any. An address that cannot be read (none, a Unix socket)
   * is let in only when there is no allow list, since a deny list cannot name it either.
   */
  boolean isAllowed(IpAddress client) {
    if (deny.contains(client)) {
      return false;
    }
    return allow == null || allow.contains(client);
  }

  @Override
  public Phase phase() {
    return Phase.EDGE;
  }
}
