package dev.citizen.gateway.proxy;

import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Response;
import dev.citizen.gateway.upstream.Endpoint;
import dev.citizen.gateway.upstream.Service;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
  private final Via via;

  public WebSocketTunnel(HttpClient client, Via via) {
    this.client = client;
    this.via = via;
  }

  /**
   * Forwards the upgrade. Completes with null once the connection became a tunnel (the 101 went
   * out), or with the response to write instead: a problem, or the service's refusal, both with
   * {@code Connection: close} since the connection was announced as an upgrade.
   */
  public Future<Response> handle(Exchange exchange) {
    HttpServerRequest req = exchange.request();
    Service service = exchange.route().service();
    long now = System.nanoTime();
    Endpoint endpoint = service.version(req, now).loadBalancer().pick(req, null, now);
    if (endpoint == null) {
      return Future.succeededFuture(problem(503, "no_endpoint", "no endpoint of the service can take traffic"));
    }
    MultiMap headers = HttpHeaders.headers();
    ProxyCall.addUpstreamHeaders(req, exchange, headers, SET_BY_PROXY, via);
    headers.set(HttpHeaders.CONNECTION, "Upgrade");
    headers.set(HttpHeaders.UPGRADE, req.getHeader(HttpHeaders.UPGRADE));
    RequestOptions options = service.target(new RequestOptions(), endpoint)
        .setMethod(HttpMethod.GET)
        .setURI(ProxyCall.uri(exchange))
        .setConnectTimeout(service.connectTimeoutMillis())
        .setHeaders(headers);
    Promise<Response> outcome = Promise.promise();
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        // Same mapping as plain requests (UpstreamCall): a connect timeout is 504, not 502.
        outcome.complete(UpstreamCall.isTimeout(ar.cause())
            ? problem(504, "upstream_timeout", "the service did not accept the connection in time")
            : problem(502, "upstream_unavailable", "the service could not be reached"));
        return;
      }
      var upstream = ar.result();
      // Failures reach us through connect() below, and after a 101 the sockets own the connection.
      // Without a handler Vert.x logs "Connection was closed" at ERROR whenever a tunnel ends.
      upstream.exceptionHandler(e -> LOG.atDebug().addKeyValue("traceId", exchange.record().traceId())
          .addKeyValue("requestId", exchange.requestId())
          .log("request {} upgrade: {}", exchange.requestId(), e.toString()));
      upstream.authority(exchange.route().preserveHost() && req.authority() != null
          ? req.authority() : endpoint.hostAndPort());
      // The service's answer to the upgrade is bounded by the response timeout like any response
      // head; without this a service that never answers holds the client until its idle timeout.
      Vertx vertx = Vertx.currentContext().owner();
      long timer = vertx.setTimer(service.responseTimeoutMillis(), id -> {
        if (outcome.tryComplete(problem(504, "upstream_timeout", "the service did not answer the upgrade in time"))) {
          upstream.reset();
        }
      });
      upstream.connect().onComplete(res -> {
        vertx.cancelTimer(timer);
        if (outcome.future().isComplete()) {
          return; // timed out already (our reset failed this future)
        }
        if (res.failed()) {
          outcome.complete(problem(502, "upstream_failed", "the service refused the upgrade"));
        } else if (res.result().statusCode() == 101) {
          join(req, res.result());
          outcome.complete(null);
        } else {
          outcome.complete(refusal(res.result()));
        }
      });
    });
    return outcome.future();
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

  /** The service's own answer (403, 404, ...), relayed; the connection closes after it. */
  private static Response refusal(HttpClientResponse upstream) {
    upstream.pause();
    ForwardHeaders.removeHopByHop(upstream.headers());
    upstream.headers().set(HttpHeaders.CONNECTION, "close");
    return Response.streamed(upstream.statusCode(), upstream.headers(), upstream, () -> upstream.request().reset());
  }

  private static Response problem(int status, String code, String detail) {
    Response r = Response.problem(status, code, detail);
    r.headers().set(HttpHeaders.CONNECTION, "close");
    return r;
  }
}
