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
import io.vertx.core.net.HostAndPort;
import java.util.Set;

/**
 * The terminal step of the request path: sends the exchange to an endpoint of the route's service
 * and hands back its response as a stream. One instance per event loop, with that loop's client,
 * so upstream connections are pooled per loop and never cross threads.
 */
public final class ProxyCall implements Next {
  /** Request headers the proxy sets itself on the upstream hop. */
  private static final Set<String> SET_BY_PROXY = Set.of(
      "host", "content-length", "expect", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
      "x-request-id");

  private final Vertx vertx;
  private final HttpClient client;

  public ProxyCall(Vertx vertx, HttpClient client) {
    this.vertx = vertx;
    this.client = client;
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
        .setConnectTimeout(service.connectTimeoutMillis())
        .setHeaders(upstreamHeaders(req, exchange));
    UpstreamCall call = new UpstreamCall(vertx, exchange, service.responseTimeoutMillis());
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        call.connectFailed(ar.cause());
        return;
      }
      var upstream = ar.result();
      upstream.authority(exchange.route().preserveHost() && req.authority() != null
          ? req.authority() : HostAndPort.create(endpoint.host(), endpoint.port()));
      call.send(upstream);
    });
    return call.future();
  }

  private static String uri(Exchange exchange) {
    String q = exchange.rawQuery();
    return q == null ? exchange.upstreamPath() : exchange.upstreamPath() + '?' + q;
  }

  private static MultiMap upstreamHeaders(HttpServerRequest req, Exchange exchange) {
    MultiMap h = ForwardHeaders.endToEnd(req.headers(), SET_BY_PROXY);
    h.set("X-Forwarded-For", ForwardHeaders.appendForwardedFor(
        req.headers().getAll("X-Forwarded-For"), req.remoteAddress().hostAddress()));
    h.set("X-Forwarded-Proto", req.isSSL() ? "https" : "http");
    if (req.authority() != null) {
      h.set("X-Forwarded-Host", req.authority().toString());
    }
    h.set("X-Request-Id", exchange.requestId());
    return h;
  }
}
