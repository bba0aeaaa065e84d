package dev.citizen.gateway.upstream;

import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of a service: its address, parsed once from its URL, and its health as the gateway
 * sees it. The object outlives config reloads that keep its URL, so health checks, ejections and
 * in-flight counts carry over; it is shared by every event loop, hence the atomics and volatiles.
 *
 * <p>An endpoint takes traffic while it is {@link #available}: not failed by active health checks
 * and not ejected by outlier detection.
 */
public final class Endpoint {
  private final String url;
  private final String host;
  private final int port;
  private final String authority;
  private final HostAndPort hostAndPort;
  /** An https:// endpoint: connections to it use the service's TLS settings. */
  private final boolean tls;
  private final SocketAddress address;

  /** Requests sent and not yet answered in full, for least-request balancing. */
  final AtomicInteger inFlight = new AtomicInteger();
  /** Failed requests in a row (passive health). */
  final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile boolean healthy = true;
  private volatile long ejectedUntilNanos;
  // Written under the OutlierDetector's lock; volatile for the admin API, which reads it unlocked.
  volatile int ejections;
  /** Ejections since the endpoint was first configured, for the metric; written under the same lock. */
  volatile long totalEjections;
  long lastEjectionEndNanos;
  // Written only by the health checker's thread.
  int checkSuccesses;
  int checkFailures;
  volatile String lastCheck = "";

  private Endpoint(String url, String host, int port, String authority, boolean tls) {
    this.url = url;
    this.host = host;
    this.port = port;
    this.authority = authority;
    this.hostAndPort = HostAndPort.create(host, port);
    this.tls = tls;
    this.address = SocketAddress.inetSocketAddress(port, host);
    // System.nanoTime() may be negative: "ejected until 0" would then read as ejected.
    this.ejectedUntilNanos = System.nanoTime();
  }

  public static Endpoint of(String url) {
    java.net.URI u = java.net.URI.create(url);
    boolean tls = "https".equals(u.getScheme());
    int defaultPort = tls ? 443 : 80;
    int port = u.getPort() < 0 ? defaultPort : u.getPort();
    String host = u.getHost();
    String hostForHeader = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    String connectHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return new Endpoint(url, connectHost, port, port == defaultPort ? hostForHeader : hostForHeader + ":" + port, tls);
  }

  public String url() {
    return url;
  }

  /** Host name or address to connect to. */
  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** {@code host:port} as sent in the Host header to the endpoint. */
  public String authority() {
    return authority;
  }

  /** The authority as Vert.x takes it (made once, not per request). */
  public HostAndPort hostAndPort() {
    return hostAndPort;
  }

  /** Whether the URL is https://. */
  public boolean tls() {
    return tls;
  }

  /** Where to connect (made once, not per request). */
  public SocketAddress address() {
    return address;
  }

  /** Whether the endpoint may get a request now. */
  public boolean available(long nowNanos) {
    return healthy && nowNanos - ejectedUntilNanos >= 0;
  }

  /** Whether active health checks (if any) pass. */
  public boolean healthy() {
    return healthy;
  }

  void healthy(boolean healthy) {
    this.healthy = healthy;
  }

  public boolean ejected(long nowNanos) {
    return nowNanos - ejectedUntilNanos < 0;
  }

  long ejectedUntilNanos() {
    return ejectedUntilNanos;
  }

  void ejectUntil(long nanos) {
    this.ejectedUntilNanos = nanos;
  }

  /** Milliseconds left of the current ejection, 0 when not ejected. */
  public long ejectedForMillis(long nowNanos) {
    long left = ejectedUntilNanos - nowNanos;
    return left <= 0 ? 0 : (left + 999_999) / 1_000_000;
  }

  /**
   * Ejections in a row: the last one lasted base × 2^(n-1). Starts again from 1 at the next ejection
   * when the endpoint stayed in for maxEjectionTime since the last.
   */
  public int ejections() {
    return ejections;
  }

  /** Every ejection so far (never reset, unlike {@link #ejections}): a monotonic count for metrics. */
  public long totalEjections() {
    return totalEjections;
  }

  /** Failed requests in a row, as outlier detection counts them. */
  public int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  /** What the last active health check saw ("200 in 3 ms", "connect refused"); empty when none ran. */
  public String lastCheck() {
    return lastCheck;
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Called when a request to this endpoint starts; pair with {@link #finished()}. */
  public void started() {
    inFlight.incrementAndGet();
  }

  public void finished() {
    inFlight.decrementAndGet();
  }

  /** The state as the admin API shows it. */
  public String state(long nowNanos) {
    if (!healthy) {
      return "unhealthy";
    }
    return ejected(nowNanos) ? "ejected" : "healthy";
  }

  @Override
  public String toString() {
    return url;
  }
}
