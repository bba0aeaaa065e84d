package dev.citizen.gateway.proxy;

import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Response;
import dev.citizen.gateway.upstream.Endpoint;
import dev.citizen.gateway.upstream.Service;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 upgrades (WebSocket): forwards the upgrade request, and when the service answers 101
 * joins the two connections into a byte tunnel with backpressure both ways. Any other answer is
 * relayed and the client connection closed, since it was announced as an upgrade.
 */
public final class WebSocketTunnel {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTunnel.class);
  private static final HeaderNames SET_BY_PROXY = HeaderNames.of(
      "host", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-request-id");

  private final HttpClient client;

  public WebSocketTunnel(HttpClient client) {
    this.client = client;
  }

  public void handle(Exchange exchange) {
    HttpServerRequest req = exchange.request();
    Service service = exchange.route().service();
    Endpoint endpoint = service.loadBalancer().pick();
    if (endpoint == null) {
      fail(exchange, 503, "no_endpoint", "no endpoint of the service can take traffic");
      return;
    }
    MultiMap headers = HttpHeaders.headers();
    ProxyCall.addUpstreamHeaders(req, exchange, headers, SET_BY_PROXY);
    headers.set(HttpHeaders.CONNECTION, "Upgrade");
    headers.set(HttpHeaders.UPGRADE, req.getHeader(HttpHeaders.UPGRADE));
    String q = exchange.rawQuery();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(endpoint.host())
        .setPort(endpoint.port())
        .setURI(q == null ? exchange.upstreamPath() : exchange.upstreamPath() + "?" + q)
        .setConnectTimeout(service.connectTimeoutMillis())
        .setHeaders(headers);
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        // Same mapping as plain requests (UpstreamCall): a connect timeout is 504, not 502.
        if (UpstreamCall.isTimeout(ar.cause())) {
          fail(exchange, 504, "upstream_timeout", "the service did not accept the connection in time");
        } else {
          fail(exchange, 502, "upstream_unavailable", "the service could not be reached");
        }
        return;
      }
      var upstream = ar.result();
      // Failures reach us through connect() below, and after a 101 the sockets own the connection.
      // Without a handler Vert.x logs "Connection was closed" at ERROR whenever a tunnel ends.
      upstream.exceptionHandler(e -> LOG.debug("request {} upgrade: {}", exchange.requestId(), e.toString()));
      upstream.authority(exchange.route().preserveHost() && req.authority() != null
          ? req.authority() : endpoint.hostAndPort());
      // The service's answer to the upgrade is bounded by the response timeout like any response
      // head; without this a service that never answers holds the client until its idle timeout.
      boolean[] settled = {false};
      Vertx vertx = Vertx.currentContext().owner();
      long timer = vertx.setTimer(service.responseTimeoutMillis(), id -> {
        if (!settled[0]) {
          settled[0] = true;
          upstream.reset();
          fail(exchange, 504, "upstream_timeout", "the service did not answer the upgrade in time");
        }
      });
      upstream.connect().onComplete(res -> {
        if (settled[0]) {
          return; // timed out already (our reset failed this future)
        }
        settled[0] = true;
        vertx.cancelTimer(timer);
        if (res.failed()) {
          fail(exchange, 502, "upstream_failed", "the service refused the upgrade");
        } else if (res.result().statusCode() == 101) {
          join(req, res.result());
        } else {
          relayRefusal(exchange, res.result());
        }
      });
    });
  }

  private static void join(HttpServerRequest req, HttpClientResponse upstreamResponse) {
    HttpServerResponse out = req.response();
    out.setStatusCode(101);
    out.headers().addAll(upstreamResponse.headers());
    NetSocket upstreamSocket = upstreamResponse.netSocket();
    req.toNetSocket().onComplete(ar -> {
      if (ar.failed()) {
        upstreamSocket.close();
        return;
      }
      NetSocket clientSocket = ar.result();
      clientSocket.pipeTo(upstreamSocket);
      upstreamSocket.pipeTo(clientSocket);
    });
  }

  private static void relayRefusal(Exchange exchange, HttpClientResponse upstream) {
    HttpServerRequest req = exchange.request();
    HttpServerResponse out = req.response();
    out.setStatusCode(upstream.statusCode());
    ForwardHeaders.copyEndToEnd(upstream.headers(), out.headers(), HeaderNames.of());
    out.headers().set("X-Request-Id", exchange.requestId());
    out.headers().set(HttpHeaders.CONNECTION, "close");
    upstream.body().onComplete(b -> {
      Buffer body = b.succeeded() ? b.result() : Buffer.buffer();
      out.end(body).onComplete(v -> req.connection().close());
    });
  }

  private static void fail(Exchange exchange, int status, String code, String detail) {
    HttpServerRequest req = exchange.request();
    Response r = Response.problem(status, code, detail);
    HttpServerResponse out = req.response();
    out.setStatusCode(status);
    out.headers().addAll(r.headers());
    out.headers().set("X-Request-Id", exchange.requestId());
    out.headers().set(HttpHeaders.CONNECTION, "close");
    out.end(Buffer.buffer(r.problem().toJsonBytes(exchange.requestId())))
        .onComplete(v -> req.connection().close());
  }
}
