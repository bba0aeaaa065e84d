package dev.citizen.gateway.proxy;

import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Next;
import dev.citizen.gateway.filter.Response;
import dev.citizen.gateway.upstream.Endpoint;
import dev.citizen.gateway.upstream.Service;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

/**
 * The terminal step of the request path: sends the exchange to an endpoint of the route's service
 * and hands back its response as a stream. One instance per event loop, with that loop's client,
 * so upstream connections are pooled per loop and never cross threads.
 */
public final class ProxyCall implements Next {
  /** Request headers the proxy sets itself on the upstream hop. */
  static final HeaderNames SET_BY_PROXY = HeaderNames.of(
      "host", "content-length", "expect", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
      "x-request-id");

  private final HttpClient client;
  private final Deadlines deadlines;

  public ProxyCall(Vertx vertx, HttpClient client) {
    this.client = client;
    this.deadlines = new Deadlines(vertx);
  }

  @Override
  public Future<Response> handle(Exchange exchange) {
    Service service = exchange.route().service();
    Endpoint endpoint = service.loadBalancer().pick();
    if (endpoint == null) {
      Response r = Response.problem(503, "no_endpoint", "no endpoint of the service can take traffic");
      r.headers().set(HttpHeaders.RETRY_AFTER, "1");
      return Future.succeededFuture(r);
    }
    HttpServerRequest req = exchange.request();
    RequestOptions options = new RequestOptions()
        .setMethod(req.method())
        .setHost(endpoint.host())
        .setPort(endpoint.port())
        .setURI(uri(exchange))
        .setConnectTimeout(service.connectTimeoutMillis());
    UpstreamCall call = new UpstreamCall(deadlines, exchange, service.responseTimeoutMillis());
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        call.connectFailed(ar.cause());
        return;
      }
      var upstream = ar.result();
      upstream.authority(exchange.route().preserveHost() && req.authority() != null
          ? req.authority() : endpoint.hostAndPort());
      addUpstreamHeaders(req, exchange, upstream.headers(), SET_BY_PROXY);
      call.send(upstream);
    });
    return call.future();
  }

  /** Stops the deadline tick; called when the event loop's verticle stops. */
  public void close() {
    deadlines.close();
  }

  static String uri(Exchange exchange) {
    String q = exchange.rawQuery();
    return q == null ? exchange.upstreamPath() : exchange.upstreamPath() + '?' + q;
  }

  /** End-to-end headers of the client's request plus the forwarding headers, into {@code out}. */
  static void addUpstreamHeaders(HttpServerRequest req, Exchange exchange, MultiMap out, HeaderNames skip) {
    MultiMap in = req.headers();
    ForwardHeaders.copyEndToEnd(in, out, skip);
    out.set("X-Forwarded-For", ForwardHeaders.appendForwardedFor(in, req.remoteAddress().hostAddress()));
    out.set("X-Forwarded-Proto", req.isSSL() ? "https" : "http");
    String host = in.get(HttpHeaders.HOST);
    if (host == null && req.authority() != null) {
      host = req.authority().toString(); // HTTP/2 :authority
    }
    if (host != null) {
      out.set("X-Forwarded-Host", host);
    }
    out.set("X-Request-Id", exchange.requestId());
  }
}
