package dev.citizen.gateway.filter;

import dev.citizen.gateway.observe.RequestRecord;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Exchanges for filter unit tests: a fake request (method, headers, client address) behind the
 * real {@link Exchange}, with no route and no connection.
 */
public final class TestExchanges {
  private TestExchanges() {}

  /** An exchange for {@code method} with {@code headers}, from {@code clientAddress}. */
  public static Exchange exchange(String method, Map<String, String> headers, String clientAddress) {
    HttpServerRequest req = request(HttpMethod.valueOf(method), headers, false);
    return new Exchange(req, null, new RequestRecord(req, "req-1", System.nanoTime()), "/", null, clientAddress);
  }

  /** A fake request answering method, headers, getHeader and isSSL; anything else fails the test. */
  public static HttpServerRequest request(HttpMethod method, Map<String, String> headers, boolean ssl) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(h::add);
    InvocationHandler handler = (proxy, m, args) -> switch (m.getName()) {
      case "method" -> method;
      case "headers" -> h;
      case "getHeader" -> h.get(args[0].toString());
      case "isSSL" -> ssl;
      case "toString" -> "fake " + method;
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      default -> throw new UnsupportedOperationException("a filter test should not need " + m);
    };
    return (HttpServerRequest) Proxy.newProxyInstance(TestExchanges.class.getClassLoader(),
        new Class<?>[] {HttpServerRequest.class}, handler);
  }
}
