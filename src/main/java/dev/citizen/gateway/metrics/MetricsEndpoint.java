package dev.citizen.gateway.metrics;

import dev.citizen.gateway.http.Problem;
import dev.citizen.gateway.http.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} (and HEAD) on the admin port: the Prometheus text format, or OpenMetrics
 * when the scraper's {@code Accept} asks for it (Prometheus itself does). Other methods get 405.
 *
 * <p>The exposition is rendered on a worker thread: the admin listener shares its event loop with
 * public traffic, and a scrape (hundreds of series, the JVM's MXBeans, /proc reads) takes long
 * enough to be felt there.
 */
final class MetricsEndpoint implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final Vertx vertx;
  /** Content type → the exposition in it. */
  private final Function<String, byte[]> render;

  MetricsEndpoint(Vertx vertx, Function<String, byte[]> render) {
    this.vertx = vertx;
    this.render = render;
  }

  @Override
  public void handle(HttpServerRequest req) {
    var out = req.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      out.putHeader(HttpHeaders.ALLOW, "GET, HEAD");
      problem(req, new Problem(405, "method_not_allowed", null));
      return;
    }
    String type = wantsOpenMetrics(req.getHeader(HttpHeaders.ACCEPT)) ? OPENMETRICS : TEXT;
    vertx.executeBlocking(() -> render.apply(type), false).onComplete(ar -> {
      if (ar.succeeded()) {
        out.putHeader(HttpHeaders.CONTENT_TYPE, type).end(Buffer.buffer(ar.result()));
      } else {
        LOG.error("rendering /metrics failed", ar.cause());
        problem(req, new Problem(500, "internal_error", null));
      }
    });
  }

  /** As Prometheus' own client decides: any mention of OpenMetrics in Accept. */
  static boolean wantsOpenMetrics(String accept) {
    return accept != null && accept.contains("application/openmetrics-text");
  }

  private static void problem(HttpServerRequest req, Problem p) {
    String id = RequestIds.newId();
    req.response().setStatusCode(p.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
        .putHeader("X-Request-Id", id).end(p.toJson(id));
  }
}
