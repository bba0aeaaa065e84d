package dev.citizen.gateway.filter;

import dev.citizen.gateway.route.Route;
import io.vertx.core.http.HttpServerRequest;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One request on its way through the gateway: the client's request, the matched route, the
 * normalised path and query to forward, the request id and typed per-request data.
 *
 * <p>Lives on one event loop; not thread-safe by design.
 */
public final class Exchange {
  private final HttpServerRequest request;
  private final Route route;
  private final String requestId;
  private final long startNanos;
  private String upstreamPath;
  private final String rawQuery;
  private Map<Key<?>, Object> attributes;

  public Exchange(HttpServerRequest request, Route route, String requestId, String upstreamPath,
      String rawQuery, long startNanos) {
    this.request = request;
    this.route = route;
    this.requestId = requestId;
    this.upstreamPath = upstreamPath;
    this.rawQuery = rawQuery;
    this.startNanos = startNanos;
  }

  public HttpServerRequest request() {
    return request;
  }

  public Route route() {
    return route;
  }

  public String requestId() {
    return requestId;
  }

  public long startNanos() {
    return startNanos;
  }

  /** The normalised path, prefix stripped, that the upstream will see. */
  public String upstreamPath() {
    return upstreamPath;
  }

  public void upstreamPath(String path) {
    this.upstreamPath = path;
  }

  /** The query string exactly as the client sent it (without '?'), or null. */
  public String rawQuery() {
    return rawQuery;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Key<T> key) {
    return attributes == null ? null : (T) attributes.get(key);
  }

  public <T> void put(Key<T> key, T value) {
    if (attributes == null) {
      attributes = new IdentityHashMap<>(4);
    }
    attributes.put(key, value);
  }
}
