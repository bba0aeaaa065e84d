package dev.citizen.gateway.upstream;

import dev.citizen.gateway.config.HealthCheckConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks: every {@code interval}, {@code GET path} on each endpoint of each service
 * that has a {@code healthCheck}; {@code unhealthyThreshold} failures in a row take a healthy
 * endpoint out, {@code healthyThreshold} successes in a row put an unhealthy one back.
 *
 * <p>A verticle of its own, so every timer, check and counter update runs on its one event loop:
 * the endpoints' check counters need no locks, and the request path only ever reads the volatile
 * healthy flag. Checks run on a fixed rate per endpoint (not "interval after the last check
 * ended"), so a failure is seen within {@code interval × unhealthyThreshold}; a check still running
 * when its next turn comes is not started again.
 *
 * <p>{@link #refresh()} reconciles the checks with the services now serving (after start and
 * after every reload): an endpoint kept by a reload is the same object, so its probe, counters and
 * health carry on untouched; new endpoints are checked at once; an endpoint no longer checked
 * (removed, or its service's healthCheck removed) is forgotten and counts as healthy again.
 */
public final class HealthChecker extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);
  static final String USER_AGENT = "citizen-gateway-health-check";

  private final Supplier<Map<String, Service>> services;
  /** Keyed by identity (Endpoint does not override equals): one probe per endpoint object. */
  private final Map<Endpoint, Probe> probes = new HashMap<>();
  private HttpClient client;

  /** @param services the services now serving, read at each {@link #refresh()} */
  public HealthChecker(Supplier<Map<String, Service>> services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    // Not the proxy's clients: no keep-alive, so each check also proves the endpoint accepts
    // connections, and a check never queues behind client traffic for a pooled connection.
    // A failed check is counted and described (lastCheck); Vert.x would also log the connection's
    // failure at ERROR at every check of an endpoint that refuses the TLS handshake late.
    client = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(false))
        .withConnectHandler(conn -> conn.exceptionHandler(e -> LOG.debug("health check connection {}: {}",
            conn.remoteAddress(), e.toString())))
        .build();
    reconcile();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    probes.values().forEach(p -> p.cancel());
    probes.clear();
    HttpClient c = client;
    client = null;
    return c == null ? Future.succeededFuture() : c.close();
  }

  /** Reconciles the probes with the services now serving; callable from any thread. */
  public void refresh() {
    Context c = context;
    if (c != null) {
      c.runOnContext(v -> reconcile());
    }
  }

  private void reconcile() {
    if (client == null) {
      return; // not started yet (start reconciles) or stopped
    }
    Map<Endpoint, Probe> next = new HashMap<>();
    for (Service s : services.get().values()) {
      HealthCheckConfig hc = s.config().healthCheck();
      if (hc == null) {
        continue;
      }
      for (Endpoint e : s.endpoints()) {
        if (next.containsKey(e)) {
          continue;
        }
        Probe p = probes.remove(e);
        if (p == null) {
          p = new Probe(e, s, hc);
          p.begin();
        } else {
          p.retune(s, hc);
        }
        next.put(e, p);
      }
    }
    for (Probe gone : probes.values()) {
      gone.cancel();
      gone.forget();
    }
    probes.clear();
    probes.putAll(next);
  }

  /**
   * Counts one check result against the thresholds; true when it flipped the endpoint's health.
   * The checker's thread only.
   */
  static boolean count(Endpoint e, boolean success, int healthyThreshold, int unhealthyThreshold) {
    // Capped so a long-lived endpoint's counters never overflow; only "reached the threshold" matters.
    if (success) {
      e.checkFailures = 0;
      e.checkSuccesses = Math.min(e.checkSuccesses + 1, healthyThreshold);
      if (!e.healthy() && e.checkSuccesses >= healthyThreshold) {
        e.healthy(true);
        return true;
      }
    } else {
      e.checkSuccesses = 0;
      e.checkFailures = Math.min(e.checkFailures + 1, unhealthyThreshold);
      if (e.healthy() && e.checkFailures >= unhealthyThreshold) {
        e.healthy(false);
        return true;
      }
    }
    return false;
  }

  /** A short text for a failed check: "connect refused", "connection closed", … */
  static String describe(Throwable t) {
    if (t instanceof ConnectException || (t.getMessage() != null && t.getMessage().contains("refused"))) {
      return "connect refused";
    }
    if (t instanceof HttpClosedException) {
      return "connection closed";
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.length() > 120 ? m.substring(0, 120) : m;
  }

  /** The checks of one endpoint. */
  private final class Probe {
    private final Endpoint endpoint;
    private Service service;
    private HealthCheckConfig config;
    private long timerId = -1;
    private boolean running;
    private boolean cancelled;

    Probe(Endpoint endpoint, Service service, HealthCheckConfig config) {
      this.endpoint = endpoint;
      this.service = service;
      this.config = config;
    }

    /** Checks at once, so an endpoint that is down at start or when added is seen early. */
    void begin() {
      check();
      schedule();
    }

    private void schedule() {
      timerId = vertx.setPeriodic(config.interval().toMillis(), id -> check());
    }

    /** A reload: later checks use the new settings and report to the new Service. */
    void retune(Service s, HealthCheckConfig c) {
      boolean newInterval = !c.interval().equals(config.interval());
      service = s;
      config = c;
      if (newInterval) {
        vertx.cancelTimer(timerId);
        schedule();
      }
    }

    void cancel() {
      cancelled = true;
      vertx.cancelTimer(timerId);
    }

    /** No longer checked: nothing would ever bring the endpoint back, so it counts as healthy. */
    void forget() {
      endpoint.checkSuccesses = 0;
      endpoint.checkFailures = 0;
      endpoint.lastCheck = "";
      if (!endpoint.healthy()) {
        endpoint.healthy(true);
        LOG.info("service {}: endpoint {} no longer health-checked; it takes traffic again", service.name(), endpoint);
      }
    }

    private void check() {
      if (running || cancelled) {
        return;
      }
      running = true;
      new Check(this, config).run();
    }

    void done(HealthCheckConfig c, boolean success, String what) {
      running = false;
      if (cancelled) {
        return;
      }
      endpoint.lastCheck = what;
      if (count(endpoint, success, c.healthyThreshold(), c.unhealthyThreshold())) {
        if (success) {
          LOG.info("service {}: endpoint {} healthy again after {} successful health checks in a row ({})",
              service.name(), endpoint, c.healthyThreshold(), what);
        } else {
          LOG.warn("service {}: endpoint {} unhealthy after {} failed health checks in a row ({}); "
              + "it takes no traffic until it passes {} in a row", service.name(), endpoint,
              c.unhealthyThreshold(), what, c.healthyThreshold());
        }
        service.healthChanged();
      }
    }
  }

  /** One check request: its outcome is delivered once, by the response, a failure or the timeout. */
  private final class Check {
    private final Probe probe;
    private final HealthCheckConfig config;
    private final long startNanos = System.nanoTime();
    private long timerId;
    private HttpClientRequest request;
    private boolean finished;

    Check(Probe probe, HealthCheckConfig config) {
      this.probe = probe;
      this.config = config;
    }

    void run() {
      long timeout = config.timeout().toMillis();
      // One deadline for connect, head and body, so a check never outlives its timeout.
      timerId = vertx.setTimer(timeout, id -> {
        finish(false, "timeout after " + timeout + " ms"); // first: the reset fails the request at once
        if (request != null) {
          request.reset();
        }
      });
      Endpoint e = probe.endpoint;
      RequestOptions options = probe.service.target(new RequestOptions(), e)
          .setMethod(HttpMethod.GET)
          .setURI(config.path())
          .setConnectTimeout(timeout)
          .putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
      client.request(options).onComplete(ar -> {
        if (ar.failed()) {
          finish(false, describe(ar.cause()));
          return;
        }
        HttpClientRequest req = ar.result();
        if (finished) {
          req.reset(); // timed out while connecting
          return;
        }
        request = req;
        req.authority(e.hostAndPort());
        req.send()
            .compose(resp -> resp.end().map(v -> resp.statusCode()))
            .onComplete(res -> {
              if (res.failed()) {
                finish(false, describe(res.cause()));
                return;
              }
              int status = res.result();
              finish(status >= config.expectLow() && status <= config.expectHigh(),
                  status + " in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
            });
      });
    }

    private void finish(boolean success, String what) {
      if (finished) {
        return;
      }
      finished = true;
      vertx.cancelTimer(timerId);
      probe.done(config, success, what);
    }
  }
}
