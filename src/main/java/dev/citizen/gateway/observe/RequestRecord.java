package dev.citizen.gateway.observe;

import io.vertx.core.http.HttpServerRequest;

/**
 * What is known about one request, filled in as it goes through the gateway and handed to the
 * {@link RequestObserver}s: identity (request and trace ids), where it went (route, service,
 * endpoint, attempts), how it ended (status, problem code, bytes, duration).
 *
 * <p>Lives on the request's event loop. Observers that keep it beyond their callback (an async
 * access log) must copy what they need, since it is not safe to read from another thread while
 * the request runs.
 */
public final class RequestRecord {
  private final HttpServerRequest request;
  private final long startNanos;
  private final long startEpochMillis;
  private final String requestId;
  private final String traceId;
  private final String parentSpanId;
  private String spanId;
  private boolean sampled;
  private String traceState;
  private String path;
  private String peerAddress;
  private String clientAddress;
  private boolean viaTrustedProxy;
  private String routeId;
  private String service;
  private String endpoint;
  private String version;
  private int attempts;
  private int status;
  private String problemCode;
  private long bytesIn;
  private long bytesOut;
  private long endNanos;
  /**
   * Per-observer state, e.g. the server span; an observer that needs one gets its index when
   * {@code server.Observability} creates it (its position among the observers).
   */
  private Object[] slots;

  public RequestRecord(HttpServerRequest request, String requestId, long startNanos) {
    this.request = request;
    this.requestId = requestId;
    this.startNanos = startNanos;
    this.startEpochMillis = System.currentTimeMillis();
    String[] parent = TraceContext.parse(request.getHeader("traceparent"));
    if (parent != null) {
      traceId = parent[0];
      parentSpanId = parent[1];
      sampled = (Integer.parseInt(parent[2], 16) & 1) == 1;
      traceState = request.getHeader("tracestate");
    } else {
      traceId = TraceContext.newTraceId();
      parentSpanId = null;
      sampled = true;
    }
    spanId = TraceContext.newSpanId();
  }

  public HttpServerRequest request() {
    return request;
  }

  public long startNanos() {
    return startNanos;
  }

  public long startEpochMillis() {
    return startEpochMillis;
  }

  public String requestId() {
    return requestId;
  }

  public String traceId() {
    return traceId;
  }

  /** The gateway's server span for this request. */
  public String spanId() {
    return spanId;
  }

  /** A tracer that makes its own span ids sets the server span's here. */
  public void spanId(String spanId) {
    this.spanId = spanId;
  }

  /** The caller's span, from its traceparent; null when the trace started here. */
  public String parentSpanId() {
    return parentSpanId;
  }

  public boolean sampled() {
    return sampled;
  }

  public void sampled(boolean sampled) {
    this.sampled = sampled;
  }

  /** The caller's tracestate, passed on unchanged; may be null. */
  public String traceState() {
    return traceState;
  }

  /** {@code traceparent} naming the server span, as returned to the client. */
  public String traceparent() {
    return TraceContext.format(traceId, spanId, sampled);
  }

  /** The normalised path (no query); null when the path was rejected. */
  public String path() {
    return path;
  }

  public void path(String path) {
    this.path = path;
  }

  /** The socket's peer address as text; null before it was read, or for a Unix socket. */
  public String peerAddress() {
    return peerAddress;
  }

  /**
   * The client's address: the peer, or what a trusted proxy forwarded in {@code X-Forwarded-For}
   * ({@code client.ClientAddresses}). Null before it was settled.
   */
  public String clientAddress() {
    return clientAddress;
  }

  /** Whether the socket's peer is one of {@code security.trustedProxies}. */
  public boolean viaTrustedProxy() {
    return viaTrustedProxy;
  }

  public void client(String peerAddress, String clientAddress, boolean viaTrustedProxy) {
    this.peerAddress = peerAddress;
    this.clientAddress = clientAddress;
    this.viaTrustedProxy = viaTrustedProxy;
  }

  /** The matched route's id, or null. Bounded: safe as a metric label. */
  public String routeId() {
    return routeId;
  }

  public String service() {
    return service;
  }

  public void route(String routeId, String service) {
    this.routeId = routeId;
    this.service = service;
  }

  /** The endpoint URL of the last attempt, or null. */
  public String endpoint() {
    return endpoint;
  }

  /** The last attempt's version name; null when the service has no versions, or no attempt was made. */
  public String version() {
    return version;
  }

  public int attempts() {
    return attempts;
  }

  void attempt(String endpoint, String version) {
    this.endpoint = endpoint;
    this.version = version;
    this.attempts++;
  }

  public int status() {
    return status;
  }

  /** The problem code of a gateway-made error ({@code no_route}, {@code circuit_open} …), or null. */
  public String problemCode() {
    return problemCode;
  }

  public long bytesIn() {
    return bytesIn;
  }

  public long bytesOut() {
    return bytesOut;
  }

  public long endNanos() {
    return endNanos;
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }

  /** Called once, when the response was written (or the connection gave up). */
  public void end(int status, String problemCode, long bytesIn, long bytesOut, long endNanos) {
    this.status = status;
    this.problemCode = problemCode;
    this.bytesIn = bytesIn;
    this.bytesOut = bytesOut;
    this.endNanos = endNanos;
  }

  @SuppressWarnings("unchecked")
  public <T> T slot(int slot) {
    return slots == null ? null : (T) slots[slot];
  }

  public void slot(int slot, Object value) {
    if (slots == null) {
      slots = new Object[Observers.MAX_SLOTS];
    }
    slots[slot] = value;
  }
}
