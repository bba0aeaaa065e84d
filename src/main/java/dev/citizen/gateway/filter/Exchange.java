package dev.citizen.gateway.filter;

import dev.citizen.gateway.observe.RequestRecord;
import dev.citizen.gateway.route.Route;
import io.vertx.core.buffer.Buffer;
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
  private final RequestRecord record;
  private String upstreamPath;
  private final String rawQuery;
  private final String clientAddress;
  private Map<Key<?>, Object> attributes;
  private String bodyFailure;
  private java.util.function.Consumer<String> bodyFailureHandler;
  private Buffer body;
  private boolean bodyComplete;

  public Exchange(HttpServerRequest request, Route route, RequestRecord record, String upstreamPath,
      String rawQuery) {
    this(request, route, record, upstreamPath, rawQuery, peerAddress(request));
  }

  public Exchange(HttpServerRequest request, Route route, RequestRecord record, String upstreamPath,
      String rawQuery, String clientAddress) {
    this.request = request;
    this.clientAddress = clientAddress;
    this.record = record;
    this.route = route;
    this.requestId = record.requestId();
    this.upstreamPath = upstreamPath;
    this.rawQuery = rawQuery;
    this.startNanos = record.startNanos();
  }

  public HttpServerRequest request() {
    return request;
  }

  public Route route() {
    return route;
  }

  /** Ids, route, attempts and outcome, for observers (metrics, access log, tracing). */
  public RequestRecord record() {
    return record;
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

  /**
   * The client's IP address as text: the socket's peer, or the address a trusted proxy forwarded
   * in {@code X-Forwarded-For}. What allow lists, bans and rate limits are keyed by.
   */
  public String clientAddress() {
    return clientAddress;
  }

  private static String peerAddress(HttpServerRequest request) {
    var peer = request.remoteAddress();
    return peer == null ? null : peer.hostAddress();
  }

  /** The query string exactly as the client sent it (without '?'), or null. */
  public String rawQuery() {
    return rawQuery;
  }

  /**
   * Reports that the client's body turned out malformed after its head was accepted (for
   * example broken chunked framing); whoever reads the body is told through
   * {@link #onBodyFailure}, now or as soon as it registers.
   */
  public void bodyFailed(String detail) {
    if (bodyFailure == null) {
      bodyFailure = detail;
      if (bodyFailureHandler != null) {
        bodyFailureHandler.accept(detail);
      }
    }
  }

  /** Registers the reader of the body for {@link #bodyFailed}; called at once if it already failed. */
  public void onBodyFailure(java.util.function.Consumer<String> handler) {
    bodyFailureHandler = handler;
    if (bodyFailure != null) {
      handler.accept(bodyFailure);
    }
  }

  /**
   * Hands on a request body that a filter read (the WAF inspects it before it goes upstream): the
   * proxy step sends these bytes instead of reading them from the client again. {@code complete}
   * false means they are only the start of the body; the rest is still unread on the (paused)
   * request and streams after them.
   */
  public void body(Buffer body, boolean complete) {
    this.body = body;
    this.bodyComplete = complete;
  }

  /** The body (or its start) a filter already read, or null when none did. */
  public Buffer body() {
    return body;
  }

  /** Whether {@link #body()} is the whole body. */
  public boolean bodyComplete() {
    return bodyComplete;
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
