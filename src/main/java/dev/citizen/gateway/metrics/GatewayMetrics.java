package dev.citizen.gateway.metrics;

import dev.citizen.gateway.observe.RequestObserver;
import dev.citizen.gateway.upstream.Service;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The gateway's Prometheus metrics, one registry per gateway: the request observer that feeds it,
 * the upstream state read at scrape time, config reloads, build info, the JVM and process binders,
 * and the {@code /metrics} handler for the admin port. Built at start when
 * {@code observability.metrics.enabled} is on (the default); see the package documentation for
 * every metric.
 *
 * <p>Lifecycle: construct → {@link #observer()} / {@link #endpoint()} in use → {@link #close()}.
 */
public final class GatewayMetrics {
  static final String CONFIG_RELOADS = "gateway.config.reloads";
  static final String CONFIG_LAST_RELOAD_SUCCESS = "gateway.config.last.reload.success";
  /** Micrometer exposes a gauge named {@code *.info} as a Prometheus info metric: {@code gateway_build_info 1}. */
  static final String BUILD_INFO = "gateway.build.info";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RequestMetrics requests;
  private final UpstreamState upstream;
  private final MetricsEndpoint endpoint;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counter reloadsApplied;
  private final Counter reloadsRejected;
  /** 1 until a reload is rejected, 1 again after one is applied: the config file serves as written. */
  private final AtomicInteger lastReloadSucceeded = new AtomicInteger(1);

  /**
   * @param services the services of the config now serving, read at each scrape
   */
  public GatewayMetrics(Vertx vertx, Supplier<Map<String, Service>> services) {
    requests = new RequestMetrics(registry);
    upstream = new UpstreamState(registry, requests, services);
    endpoint = new MetricsEndpoint(vertx, this::render);
    reloadsApplied = reloads("success");
    reloadsRejected = reloads("failure");
    Gauge.builder(CONFIG_LAST_RELOAD_SUCCESS, lastReloadSucceeded, AtomicInteger::get)
        .description("1 when the last config reload was applied (or none was tried), 0 when it was rejected")
        .register(registry);
    Gauge.builder(BUILD_INFO, () -> 1)
        .description("The gateway's version and the Java version it runs on")
        .tags("version", version(), "java_version", System.getProperty("java.version"))
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  private Counter reloads(String result) {
    return Counter.builder(CONFIG_RELOADS)
        .description("Changes of the config file: applied (success) or rejected as invalid (failure)")
        .tags("result", result).register(registry);
  }

  /** From the jar manifest ({@code Implementation-Version}); "dev" when run from classes. */
  static String version() {
    String v = GatewayMetrics.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The request observer; cheap enough for every request (see {@link RequestMetrics}). */
  public RequestObserver observer() {
    return requests;
  }

  /** The admin handler for {@code /metrics}. */
  public Handler<HttpServerRequest> endpoint() {
    return endpoint;
  }

  /**
   * Counts access-log lines dropped because the log output could not keep up ({@code dropped}
   * reads a monotonic count), as {@code gateway_access_log_dropped_total}.
   */
  public void accessLogDrops(java.util.function.LongSupplier dropped) {
    io.micrometer.core.instrument.FunctionCounter.builder("gateway.access.log.dropped", dropped,
            d -> d.getAsLong())
        .description("Access-log lines dropped because the log output could not keep up")
        .register(registry);
  }

  /** A changed config file was applied ({@code true}) or rejected. */
  public void configReloaded(boolean applied) {
    // The gauge first: a scrape that sees the new count then sees the gauge that goes with it.
    lastReloadSucceeded.set(applied ? 1 : 0);
    (applied ? reloadsApplied : reloadsRejected).increment();
  }

  /** The exposition in {@code contentType} (text 0.0.4 or OpenMetrics), after syncing the upstream gauges. */
  private byte[] render(String contentType) {
    upstream.refresh();
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      registry.scrape(out, contentType);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  /** Unhooks the GC listeners from the JVM and closes the registry. */
  public void close() {
    gc.close();
    registry.close();
  }
}
