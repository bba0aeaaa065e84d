package dev.citizen.gateway.server;

import dev.citizen.gateway.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * The plain-HTTP listener of {@code server.tls.redirectPort}: every request is answered with a
 * redirect to the same host, path and query over HTTPS, on the TLS listener's port (left out when
 * it is 443). Nothing is proxied, so no route, filter or service is reachable in clear text.
 *
 * <p>GET and HEAD get {@code 301 Moved Permanently}, which every client follows and caches; other
 * methods get {@code 308 Permanent Redirect}, because on a 301 clients may turn a POST into a GET
 * and drop its body. The body of a request is never read, so the connection closes after each
 * answer ({@code Connection: close}). The host comes from the request's Host header (the port in
 * it is dropped), or, without one, the address the client connected to; a Host that is not a
 * plain host name or address gets 400.
 */
final class RedirectServer {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+]|[0-9A-Fa-f:.]+");

  private final Vertx vertx;
  private final ServerConfig config;
  private final IntSupplier httpsPort;
  private final boolean reusePort;
  private HttpServer server;

  /**
   * @param httpsPort the TLS listener's bound port, read per request
   * @param reusePort bind with SO_REUSEPORT like the TLS listener, so a second gateway process can
   *     bind this port too during a zero-downtime restart
   */
  RedirectServer(Vertx vertx, ServerConfig config, IntSupplier httpsPort, boolean reusePort) {
    this.vertx = vertx;
    this.config = config;
    this.httpsPort = httpsPort;
    this.reusePort = reusePort;
  }

  Future<HttpServer> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.tls().redirectPort())
        .setReusePort(reusePort)
        .setHttp2ClearTextEnabled(false)
        .setCompressionSupported(false)
        .setMaxInitialLineLength(config.limits().maxUriBytes().toIntBytes() + 64)
        .setMaxHeaderSize(config.limits().maxHeaderBytes().toIntBytes())
        // One request per connection: a client that sends nothing is dropped as a slow head would be.
        .setIdleTimeout((int) Math.max(1, config.timeouts().header().toMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    server = vertx.createHttpServer(options).requestHandler(this::handle);
    return server.listen();
  }

  int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    // A Host that Vert.x could not parse leaves authority() null: that is a bad request, not one without Host.
    boolean badHost = req.authority() == null && req.headers().contains(HttpHeaders.HOST);
    String location = badHost ? null : location(req.authority(),
        req.localAddress() == null ? null : req.localAddress().hostAddress(), httpsPort.getAsInt(), req.path(),
        req.query());
    var out = req.response().putHeader(HttpHeaders.CONNECTION, "close");
    if (location == null) {
      out.setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
          .end("bad Host header\n").onComplete(v -> req.connection().close());
      return;
    }
    boolean read = req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD;
    out.setStatusCode(read ? 301 : 308)
        .putHeader(HttpHeaders.LOCATION, location)
        .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
        .end().onComplete(v -> req.connection().close());
  }

  /**
   * {@code https://host[:port]/path?query}, or null when the host is unusable.
   *
   * @param authority the request's Host (or absolute-form target's authority); may be null
   * @param localHost the address the client connected to, used without a Host
   */
  static String location(HostAndPort authority, String localHost, int httpsPort, String path, String query) {
    String host = authority != null ? authority.host() : localHost;
    if (host == null || host.isEmpty() || !HOST.matcher(host).matches()) {
      return null;
    }
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]"; // an IPv6 address
    }
    StringBuilder sb = new StringBuilder("https://").append(host);
    if (httpsPort != 443) {
      sb.append(':').append(httpsPort);
    }
    sb.append(path == null || !path.startsWith("/") ? "/" : path);
    if (query != null) {
      sb.append('?').append(query);
    }
    return sb.toString();
  }
}
