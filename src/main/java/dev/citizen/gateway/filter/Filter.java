package dev.citizen.gateway.filter;

import io.vertx.core.Future;

/**
 * The one extension concept of the request path. A filter sees the exchange and either answers
 * itself (a block, a cache hit, a 429), or calls {@code next} and may change what comes back.
 * Calling {@code next} twice is allowed only when the request body is replayable (retries).
 *
 * <p>Filters run in {@link Phase} order, then in config order within a phase; the last step is
 * always the proxy call to the upstream service.
 */
@FunctionalInterface
public interface Filter {

  Future<Response> handle(Exchange exchange, Next next);

  /** The phase this filter belongs to (default {@link Phase#ROUTE}). */
  default Phase phase() {
    return Phase.ROUTE;
  }
}
