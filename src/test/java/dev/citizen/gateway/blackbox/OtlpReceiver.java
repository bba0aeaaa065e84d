package dev.citizen.gateway.blackbox;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real OTLP/HTTP trace receiver, as a collector would be: a Vert.x server on an ephemeral
 * loopback port that takes {@code POST /v1/traces} with a protobuf
 * {@code ExportTraceServiceRequest}, decodes it with the OTLP schema (opentelemetry-proto) and
 * keeps every span with its resource, then answers like a collector. Anything else it gets is
 * counted as a mistake, so a test can assert the exporter spoke OTLP correctly.
 */
final class OtlpReceiver implements AutoCloseable {
  /** One exported span, with the {@code service.name} of its resource and the export's headers. */
  record Exported(String serviceName, Span span, String authorization) {
    String traceId() {
      return hex(span.getTraceId().toByteArray());
    }

    String spanId() {
      return hex(span.getSpanId().toByteArray());
    }

    /** Empty for a root span. */
    String parentSpanId() {
      return hex(span.getParentSpanId().toByteArray());
    }

    Span.SpanKind kind() {
      return span.getKind();
    }

    /** The attribute's value as a String, Long, Boolean or Double, or null when absent. */
    Object attr(String key) {
      for (KeyValue kv : span.getAttributesList()) {
        if (kv.getKey().equals(key)) {
          AnyValue v = kv.getValue();
          return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case BOOL_VALUE -> v.getBoolValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            default -> v.toString();
          };
        }
      }
      return null;
    }

    List<String> events() {
      return span.getEventsList().stream().map(Span.Event::getName).toList();
    }

    boolean isError() {
      return span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR;
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final Queue<Exported> spans = new ConcurrentLinkedQueue<>();
  private final Queue<String> mistakes = new ConcurrentLinkedQueue<>();

  private OtlpReceiver() throws Exception {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(req -> {
      if (req.method() != HttpMethod.POST || !req.path().equals("/v1/traces")) {
        mistakes.add(req.method() + " " + req.path());
        req.response().setStatusCode(404).end();
        return;
      }
      if (!"application/x-protobuf".equals(req.getHeader("Content-Type"))) {
        mistakes.add("Content-Type " + req.getHeader("Content-Type"));
      }
      String authorization = req.getHeader("Authorization");
      req.body().onSuccess(body -> {
        ExportTraceServiceRequest export;
        try {
          export = ExportTraceServiceRequest.parseFrom(body.getBytes());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          mistakes.add("undecodable export: " + e.getMessage());
          req.response().setStatusCode(400).end();
          return;
        }
        for (ResourceSpans rs : export.getResourceSpansList()) {
          String service = serviceName(rs.getResource());
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            for (Span s : ss.getSpansList()) {
              spans.add(new Exported(service, s, authorization));
            }
          }
        }
        req.response().putHeader("Content-Type", "application/x-protobuf")
            .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
      });
    });
    server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static OtlpReceiver start() throws Exception {
    return new OtlpReceiver();
  }

  /** The URL to configure as {@code observability.tracing.endpoint}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1/traces";
  }

  List<Exported> spans() {
    return List.copyOf(spans);
  }

  List<Exported> spans(Predicate<Exported> filter) {
    return spans.stream().filter(filter).toList();
  }

  /** Spans of one trace. */
  List<Exported> trace(String traceId) {
    return spans(s -> s.traceId().equals(traceId));
  }

  /** What the exporter sent that a collector would have refused; empty when all was well. */
  List<String> mistakes() {
    return List.copyOf(mistakes);
  }

  /** Waits until {@code count} spans of {@code traceId} arrived; returns them. */
  List<Exported> awaitTrace(String traceId, int count) throws InterruptedException {
    TestGateway.eventually(10_000, () -> trace(traceId).size() >= count);
    return trace(traceId);
  }

  private static String serviceName(Resource resource) {
    for (KeyValue kv : resource.getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        return kv.getValue().getStringValue();
      }
    }
    return null;
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
