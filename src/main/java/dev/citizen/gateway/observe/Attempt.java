package dev.citizen.gateway.observe;

/**
 * One attempt of a request at an endpoint, for observers: started, then ended with an outcome.
 * {@link #traceparent} is what the upstream receives; a tracer that opens a client span for the
 * attempt sets it to name that span.
 */
public final class Attempt {
  /** How an attempt ended; mirrors the proxy's own classification. */
  public enum Outcome { RESPONSE, CONNECT_FAILED, RESET, TIMEOUT, CLIENT, CANCELLED }

  private final int number;
  private final String service;
  private final String version;
  private final String endpoint;
  private final long startNanos;
  private String traceparent;
  /** Added for tracing's url.full: the proxy sets it (see {@link #target(String)}). */
  private String target;
  /** The endpoint's host (no brackets) and port, for tracing's server.address and server.port. */
  private String host;
  private int port;
  private Outcome outcome;
  private int status;
  private boolean failed;
  private boolean willRetry;
  private long endNanos;
  /** A tracer's client span. */
  private Object span;

  public Attempt(int number, String service, String version, String endpoint, long startNanos, String traceparent) {
    this.number = number;
    this.service = service;
    this.version = version;
    this.endpoint = endpoint;
    this.startNanos = startNanos;
    this.traceparent = traceparent;
  }

  /** Sets the endpoint's host (an IPv6 address without brackets) and port. */
  public Attempt peer(String host, int port) {
    this.host = host;
    this.port = port;
    return this;
  }

  /** The endpoint's host, or null when the proxy did not say ({@link #peer}). */
  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** 1 for the first try. */
  public int number() {
    return number;
  }

  public String service() {
    return service;
  }

  /** The canary/blue-green version's name; null for a service given with plain endpoints. */
  public String version() {
    return version;
  }

  /** The endpoint URL (bounded by the config). */
  public String endpoint() {
    return endpoint;
  }

  public long startNanos() {
    return startNanos;
  }

  public String traceparent() {
    return traceparent;
  }

  public void traceparent(String traceparent) {
    this.traceparent = traceparent;
  }

  /**
   * The path sent upstream, without the query (which may carry personal data), or null when the
   * proxy did not say. Added for tracing ({@code url.full} of the client span).
   */
  public String target() {
    return target;
  }

  public void target(String target) {
    this.target = target;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** The service's status when {@link #outcome} is RESPONSE, else the status the gateway made of it. */
  public int status() {
    return status;
  }

  /** Whether it counted as a failure of the service (5xx or a transport failure). */
  public boolean failed() {
    return failed;
  }

  /** Whether another attempt follows this one. */
  public boolean willRetry() {
    return willRetry;
  }

  public long endNanos() {
    return endNanos;
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }

  public void end(Outcome outcome, int status, boolean failed, long endNanos) {
    this.outcome = outcome;
    this.status = status;
    this.failed = failed;
    this.endNanos = endNanos;
  }

  public void willRetry(boolean willRetry) {
    this.willRetry = willRetry;
  }

  public Object span() {
    return span;
  }

  public void span(Object span) {
    this.span = span;
  }
}
