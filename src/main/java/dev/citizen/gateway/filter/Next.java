package dev.citizen.gateway.filter;

import io.vertx.core.Future;

/**
 * The rest of the chain after a filter: the following filters, then the proxy call, or for a
 * WebSocket upgrade the tunnel. The tunnel completes with null once the connection became a
 * tunnel (nothing left to write), so a filter that changes the returned response must allow for
 * null.
 */
@FunctionalInterface
public interface Next {
  Future<Response> handle(Exchange exchange);
}
