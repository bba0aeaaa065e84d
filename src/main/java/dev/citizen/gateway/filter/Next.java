package dev.citizen.gateway.filter;

import io.vertx.core.Future;

/** The rest of the chain after a filter: the following filters, then the proxy call. */
@FunctionalInterface
public interface Next {
  Future<Response> handle(Exchange exchange);
}
