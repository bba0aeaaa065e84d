package dev.citizen.gateway.filter.access;

import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.observe.RequestRecord;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.lang.reflect.Proxy;
import java.util.Map;

/** Exchanges for driving a filter without a server: a request with only method and headers. */
final class FakeExchange {
  private FakeExchange() {}

  static Exchange of(String clientAddress, Map<String, String> headers) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(h::add);
    HttpServerRequest req = (HttpServerRequest) Proxy.newProxyInstance(FakeExchange.class.getClassLoader(),
        new Class<?>[] {HttpServerRequest.class}, (proxy, m, args) -> switch (m.getName()) {
          case "method" -> HttpMethod.GET;
          case "headers" -> h;
          case "getHeader" -> h.get(args[0].toString());
          case "toString" -> "fake request from " + clientAddress;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException("a filter here should not need " + m);
        });
    RequestRecord record = new RequestRecord(req, "req-1", System.nanoTime());
    return new Exchange(req, null, record, "/", null, clientAddress);
  }

  static Exchange of(String clientAddress) {
    return of(clientAddress, Map.of("User-Agent", "test"));
  }
}
