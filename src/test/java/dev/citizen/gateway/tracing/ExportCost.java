package dev.citizen.gateway.tracing;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: what the OpenTelemetry SDK's own OTLP/HTTP exporter costs per span, in a hot loop,
 * for spans shaped as the gateway makes them (a SERVER span and its CLIENT span, with the
 * attributes {@link TracingObserver} sets for a plain 200), exported as {@link Tracing} does
 * (reusable buffers, 2048-span batches) to a local receiver that reads and discards. CPU of every
 * thread but the receiver's, per span; and the cost of making and ending the two spans. Issue 4's
 * "all observability on within 10% of off" needs the whole cost of observing a request to stay
 * under a tenth of what proxying it costs (~45 µs here); this shows the floor tracing alone sets.
 * Run with {@code bench/otel-export-cost.sh}.
 */
public final class ExportCost {
  private ExportCost() {}

  public static void main(String[] args) throws Exception {
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    sink.setExecutor(Executors.newSingleThreadExecutor(r -> new Thread(r, "sink-worker")));
    sink.createContext("/v1/traces", ex -> {
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    sink.start();
    List<SpanData> batch = new ArrayList<>();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(new Collect(batch)).build();
    Tracer tracer = provider.get("dev.citizen.gateway");
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long made = 0;
    long makeCpu = 0;
    for (int round = 0; round < 20; round++) {
      batch.clear();
      long t0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < Tracing.MAX_BATCH / 2; i++) {
        makeRequestSpans(tracer, i);
      }
      if (round >= 10) {
        makeCpu += mx.getCurrentThreadCpuTime() - t0;
        made += Tracing.MAX_BATCH / 2;
      }
    }
    SpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + sink.getAddress().getPort() + "/v1/traces")
        .setMemoryMode(MemoryMode.REUSABLE_DATA)
        .build();
    int warmup = 300;
    int measured = 300;
    for (int i = 0; i < warmup; i++) {
      exporter.export(batch).join(10, TimeUnit.SECONDS);
    }
    long cpu0 = exporterCpu(mx);
    for (int i = 0; i < measured; i++) {
      exporter.export(batch).join(10, TimeUnit.SECONDS);
    }
    double exportPerSpan = (exporterCpu(mx) - cpu0) / 1000.0 / measured / batch.size();
    double makePerRequest = makeCpu / 1000.0 / made;
    System.out.printf("making and ending a request's two spans: %.2f us CPU%n", makePerRequest);
    System.out.printf("exporting: %.2f us CPU per span, %.2f us per request (2 spans)%n", exportPerSpan,
        2 * exportPerSpan);
    System.out.printf("tracing per request, hot loop, without the receiver: %.2f us%n",
        makePerRequest + 2 * exportPerSpan);
    exporter.shutdown().join(10, TimeUnit.SECONDS);
    sink.stop(0);
    System.exit(0);
  }

  /** The spans of one proxied GET answered 200, with TracingObserver's attributes. */
  private static void makeRequestSpans(Tracer tracer, int i) {
    Span server = tracer.spanBuilder("GET").setSpanKind(SpanKind.SERVER).setNoParent()
        .setAttribute(SemConv.HTTP_REQUEST_METHOD, "GET").startSpan();
    Span client = tracer.spanBuilder("GET").setSpanKind(SpanKind.CLIENT).setParent(Context.root().with(server))
        .setAttribute(SemConv.HTTP_REQUEST_METHOD, "GET")
        .setAttribute(SemConv.SERVER_ADDRESS, "127.0.0.1")
        .setAttribute(SemConv.SERVER_PORT, 18401L)
        .setAttribute(SemConv.URL_FULL, "http://127.0.0.1:18401/")
        .startSpan();
    client.setAttribute(SemConv.HTTP_RESPONSE_STATUS_CODE, 200L);
    client.end();
    server.setAttribute(SemConv.URL_PATH, "/");
    server.setAttribute(SemConv.HTTP_ROUTE, "all");
    server.updateName("GET all");
    server.setAttribute(SemConv.HTTP_RESPONSE_STATUS_CODE, 200L);
    server.setAttribute(SemConv.GATEWAY_REQUEST_ID, Long.toHexString(0x5eed_0000_0000L + i));
    server.setAttribute(SemConv.CLIENT_ADDRESS, "127.0.0.1");
    server.end();
  }

  /** CPU time of every live thread except the receiver's. */
  private static long exporterCpu(ThreadMXBean mx) {
    long sum = 0;
    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null && !t.getThreadName().startsWith("sink-") && !t.getThreadName().startsWith("HTTP-Dispatcher")) {
        long c = mx.getThreadCpuTime(t.getThreadId());
        sum += Math.max(0, c);
      }
    }
    return sum;
  }

  /** Keeps the ended spans as the batch processor hands them to the exporter. */
  private record Collect(List<SpanData> into) implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      into.add(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }
}
