package dev.citizen.gateway.tracing;

import dev.citizen.gateway.config.TracingConfig;
import dev.citizen.gateway.observe.RequestObserver;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK as the gateway runs it, built from {@code observability.tracing}: a
 * parent-based ratio sampler, the record-fed id generator, and a batch processor exporting
 * OTLP/HTTP protobuf through the JDK's HTTP client. Lifecycle: {@link #start} at gateway start →
 * {@link #observer} on every request → {@link #close} at gateway close, which exports what is
 * still queued.
 *
 * <p>Spans never wait for the exporter: an ended span goes into a bounded lock-free queue
 * ({@link #MAX_QUEUE} spans) that one background thread drains in batches of {@link #MAX_BATCH};
 * when the queue is full (a collector that is down or too slow) new spans are dropped, and the
 * request path does not notice.
 */
public final class Tracing {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
  /** Instrumentation scope of the gateway's spans. */
  private static final String SCOPE = "dev.citizen.gateway";

  private final SdkTracerProvider provider;
  private final TracingObserver observer;
  private final TracingConfig config;

  /** Spans per export request. */
  static final int MAX_BATCH = 2048;
  /** Spans waiting for export; beyond it new spans are dropped (counted by the SDK), never waited for. */
  static final int MAX_QUEUE = 16384;

  private Tracing(SdkTracerProvider provider, TracingObserver observer, TracingConfig config) {
    this.provider = provider;
    this.observer = observer;
    this.config = config;
  }

  /**
   * Starts the SDK, or returns null when tracing is off. {@code slot} is the observer's index in
   * {@link dev.citizen.gateway.observe.RequestRecord#slot}, where it keeps the server span.
   */
  public static Tracing start(TracingConfig config, int slot) {
    if (!config.enabled()) {
      return null;
    }
    SdkLogBridge.install();
    OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(config.endpoint())
        .setTimeout(config.timeout())
        // Marshal each batch into reused buffers instead of a fresh object graph per span: at a
        // sampling ratio of 1 the export is a large share of the gateway's CPU and garbage.
        .setMemoryMode(io.opentelemetry.sdk.common.export.MemoryMode.REUSABLE_DATA);
    for (Map.Entry<String, String> h : config.headers().entrySet()) {
      exporter.addHeader(h.getKey(), h.getValue());
    }
    BatchSpanProcessor batches = BatchSpanProcessor.builder(exporter.build())
        .setScheduleDelay(config.scheduleDelay())
        // Bigger batches, fewer export requests: at thousands of requests a second the default
        // 512-span batches meant dozens of HTTP posts a second, each with its fixed cost.
        .setMaxExportBatchSize(MAX_BATCH)
        .setMaxQueueSize(MAX_QUEUE)
        .setExporterTimeout(config.timeout())
        .build();
    String version = Tracing.class.getPackage().getImplementationVersion();
    AttributesBuilder resource = Attributes.builder().put(SemConv.SERVICE_NAME, config.serviceName());
    if (version != null) {
      resource.put(SemConv.SERVICE_VERSION, version);
    }
    RecordIds ids = new RecordIds();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(resource.build())))
        // A caller's decision is followed both ways, so a trace is never exported in part; only
        // traces that start here are sampled by ratio (from the trace id, so consistently).
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.samplingRatio())))
        .setIdGenerator(ids)
        .addSpanProcessor(batches)
        .build();
    LOG.info("tracing: spans exported to {} (sampling ratio {} for new traces, as {})", config.endpoint(),
        config.samplingRatio(), config.serviceName());
    return new Tracing(provider, new TracingObserver(provider.get(SCOPE, version), ids, slot), config);
  }

  public RequestObserver observer() {
    return observer;
  }

  /**
   * Exports the spans still queued and stops the SDK; completes when done or after the export
   * timeout. The SDK's shutdown waits on its worker thread, so this runs on a Vert.x worker.
   */
  public Future<Void> close(Vertx vertx) {
    long waitMillis = config.timeout().toMillis() + 1000;
    return vertx.executeBlocking(() -> {
      if (!provider.shutdown().join(waitMillis, TimeUnit.MILLISECONDS).isSuccess()) {
        LOG.warn("tracing: spans still queued at close could not all be exported to {}", config.endpoint());
      }
      return null;
    });
  }
}
