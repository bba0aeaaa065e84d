package dev.citizen.gateway.proxy;

import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Next;
import dev.citizen.gateway.filter.Response;
import dev.citizen.gateway.observe.Observers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The terminal step of the request path: sends the exchange to the route's service (a
 * {@link ServiceCall}: breaker, balancer, attempts and retries) and hands back its response as a
 * stream. One instance per event loop, with that loop's {@link UpstreamPool},
 * so upstream connections are pooled per loop and never cross threads.
 */
public final class ProxyCall implements Next {
  /** Request headers the proxy sets itself on the upstream hop. */
  static final HeaderNames SET_BY_PROXY = HeaderNames.of(
      "host", "content-length", "expect", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
      "x-request-id", "traceparent", "tracestate");

  private final Vertx vertx;
  private final UpstreamPool upstreams;
  private final Deadlines deadlines;
  private final Observers observers;
  private final Via via;

  public ProxyCall(Vertx vertx, UpstreamPool upstreams, Observers observers, Via via) {
    this.vertx = vertx;
    this.upstreams = upstreams;
    this.observers = observers;
    this.via = via;
    this.deadlines = new Deadlines(vertx);
  }

  @Override
  public Future<Response> handle(Exchange exchange) {
    return new ServiceCall(this, exchange).start();
  }

  Observers observers() {
    return observers;
  }

  Deadlines deadlines() {
    return deadlines;
  }

  UpstreamPool upstreams() {
    return upstreams;
  }

  Vertx vertx() {
    return vertx;
  }

  /** This gateway's Via entry and loop check. */
  public Via via() {
    return via;
  }

  /** Stops the deadline tick; called when the event loop's verticle stops. */
  public void close() {
    deadlines.close();
    upstreams.close();
  }

  static String uri(Exchange exchange) {
    String q = exchange.rawQuery();
    return q == null ? exchange.upstreamPath() : exchange.upstreamPath() + '?' + q;
  }

  /**
   * End-to-end headers of the client's request plus the forwarding headers, into {@code out}; the
   * client's Via lines among them, and this gateway's entry after them (RFC 9110 §7.6.3).
   */
  static void addUpstreamHeaders(HttpServerRequest req, Exchange exchange, MultiMap out, HeaderNames skip,
      Via via) {
    MultiMap in = req.headers();
    ForwardHeaders.copyEndToEnd(in, out, skip);
    out.add(Via.HEADER, via.entry(req.version()));
    String peer = exchange.record().peerAddress();
    if (peer == null && req.remoteAddress() != null) {
      peer = req.remoteAddress().hostAddress();
    }
    if (peer != null) {
      out.set("X-Forwarded-For", ForwardHeaders.forwardedFor(in, exchange.clientAddress(), peer));
    }
    // Behind a trusted proxy (a TLS-terminating load balancer, say) the scheme and host the client
    // used are the proxy's to tell; from anyone else they are replaced by what this hop saw.
    boolean trusted = exchange.record().viaTrustedProxy();
    String proto = trusted ? ForwardHeaders.forwardedProto(in) : null;
    out.set("X-Forwarded-Proto", proto != null ? proto : req.isSSL() ? "https" : "http");
    String host = trusted ? ForwardHeaders.forwardedHost(in) : null;
    if (host == null) {
      host = in.get(HttpHeaders.HOST);
    }
    if (host == null && req.authority() != null) {
      host = req.authority().toString(); // HTTP/2 :authority
    }
    if (host != null) {
      out.set("X-Forwarded-Host", host);
    }
    out.set("X-Request-Id", exchange.requestId());
    // The service joins the gateway's trace: its parent is the gateway's span (an attempt's client
    // span when tracing exports them, see ServiceCall).
    out.set("traceparent", exchange.record().traceparent());
    if (exchange.record().traceState() != null) {
      out.set("tracestate", exchange.record().traceState());
    }
  }
}
