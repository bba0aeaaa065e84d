package dev.citizen.gateway.filter.auth;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Every {@link JwksCache} of one gateway, by URL, and the one HTTP client that fetches them with
 * Vert.x (never a blocking fetch on an event loop). Part of the gateway's edge state: created once,
 * kept across reloads.
 */
public final class JwksCaches {
  /** One fetch, connect to last byte; an identity provider answers a JWKS in milliseconds. */
  static final long FETCH_TIMEOUT_MILLIS = 5000;
  /** A JWK Set is a few KiB; anything far larger is not one, and is not read into memory. */
  static final int MAX_BYTES = 512 * 1024;

  private final Vertx vertx;
  private final ConcurrentMap<String, JwksCache> caches = new ConcurrentHashMap<>();
  private volatile HttpClient client;

  /** @param vertx for the fetches; null when a config is only validated (nothing is fetched then) */
  public JwksCaches(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The cache of {@code url}, made on first use. */
  JwksCache forUrl(String url) {
    return caches.computeIfAbsent(url, u -> new JwksCache(u, () -> fetch(u), System::nanoTime));
  }

  /** Whether fetches can run (false when only validating a config). */
  boolean canFetch() {
    return vertx != null;
  }

  private Future<String> fetch(String url) {
    if (vertx == null) {
      return Future.failedFuture("no Vert.x instance (config validation only)");
    }
    Promise<String> result = Promise.promise();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(url)
        .setConnectTimeout(FETCH_TIMEOUT_MILLIS)
        .putHeader(HttpHeaders.ACCEPT, "application/jwk-set+json, application/json")
        .putHeader(HttpHeaders.USER_AGENT, "citizen-gateway");
    HttpClientRequest[] request = new HttpClientRequest[1];
    long timer = vertx.setTimer(FETCH_TIMEOUT_MILLIS, id -> {
      if (result.tryFail("no complete answer within " + FETCH_TIMEOUT_MILLIS + " ms") && request[0] != null) {
        request[0].reset();
      }
    });
    client().request(options).onComplete(ar -> {
      if (ar.failed()) {
        result.tryFail(ar.cause());
        return;
      }
      request[0] = ar.result();
      ar.result().send().onComplete(res -> {
        if (res.failed()) {
          result.tryFail(res.cause());
          return;
        }
        var resp = res.result();
        if (resp.statusCode() != 200) {
          resp.request().reset();
          result.tryFail("HTTP status " + resp.statusCode());
          return;
        }
        Buffer body = Buffer.buffer();
        resp.handler(chunk -> {
          if (body.length() + chunk.length() > MAX_BYTES) {
            result.tryFail("larger than " + MAX_BYTES + " bytes");
            resp.request().reset();
          } else {
            body.appendBuffer(chunk);
          }
        });
        resp.exceptionHandler(result::tryFail);
        resp.endHandler(v -> result.tryComplete(body.toString(StandardCharsets.UTF_8)));
      });
    });
    return result.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          // HTTPS URLs are checked against the JVM's trust store, host name included.
          client = vertx.createHttpClient(new HttpClientOptions()
              .setConnectTimeout((int) FETCH_TIMEOUT_MILLIS)
              .setVerifyHost(true)
              .setKeepAlive(false));
        }
        c = client;
      }
    }
    return c;
  }
}
