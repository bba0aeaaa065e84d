package dev.citizen.gateway.tracing;

import static dev.citizen.gateway.tracing.SemConv.CLIENT_ADDRESS;
import static dev.citizen.gateway.tracing.SemConv.ERROR_TYPE;
import static dev.citizen.gateway.tracing.SemConv.GATEWAY_PROBLEM;
import static dev.citizen.gateway.tracing.SemConv.GATEWAY_REQUEST_ID;
import static dev.citizen.gateway.tracing.SemConv.HTTP_REQUEST_METHOD;
import static dev.citizen.gateway.tracing.SemConv.HTTP_REQUEST_METHOD_ORIGINAL;
import static dev.citizen.gateway.tracing.SemConv.HTTP_REQUEST_RESEND_COUNT;
import static dev.citizen.gateway.tracing.SemConv.HTTP_RESPONSE_STATUS_CODE;
import static dev.citizen.gateway.tracing.SemConv.HTTP_ROUTE;
import static dev.citizen.gateway.tracing.SemConv.NETWORK_PROTOCOL_VERSION;
import static dev.citizen.gateway.tracing.SemConv.SERVER_ADDRESS;
import static dev.citizen.gateway.tracing.SemConv.SERVER_PORT;
import static dev.citizen.gateway.tracing.SemConv.URL_FULL;
import static dev.citizen.gateway.tracing.SemConv.URL_PATH;

import dev.citizen.gateway.accesslog.PhiMasker;
import dev.citizen.gateway.observe.Attempt;
import dev.citizen.gateway.observe.Rejection;
import dev.citizen.gateway.observe.RequestObserver;
import dev.citizen.gateway.observe.RequestRecord;
import dev.citizen.gateway.observe.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Locale;

/**
 * Makes the spans of a request: a SERVER span from {@code requestStarted} to {@code requestEnded},
 * with the gateway's decisions as its events, and a CLIENT span, its child, for each attempt at an
 * endpoint. The server span takes the record's trace and span ids (see {@link RecordIds}), so the
 * ids already in the request's logs and its response's {@code traceparent} name a real span; each
 * attempt's {@code traceparent} is pointed at its client span, so the service's spans are that
 * span's children.
 *
 * <p>Runs on the request's event loop; the SDK's span objects are only handed to the batch
 * processor's lock-free queue when they end. A span the sampler dropped is not recording: it still
 * has ids (and propagates them, with the sampled flag off) but all attribute work is skipped.
 * Attributes are the main cost of a recorded span, paid twice (a map insert here, then sized and
 * encoded on the export thread), so spans carry what the HTTP semantic conventions require and what
 * a trace search needs, and nothing that another attribute already implies.
 */
final class TracingObserver implements RequestObserver {
  private static final TextMapGetter<HttpServerRequest> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpServerRequest request) {
      return request.headers().names();
    }

    @Override
    public String get(HttpServerRequest request, String key) {
      return request == null ? null : request.getHeader(key);
    }
  };
  private static final String[] OUTCOMES = outcomeNames();

  private final Tracer tracer;
  private final RecordIds ids;
  /** Where this observer keeps the server span in {@link RequestRecord#slot}. */
  private final int slot;

  TracingObserver(Tracer tracer, RecordIds ids, int slot) {
    this.tracer = tracer;
    this.ids = ids;
    this.slot = slot;
  }

  @Override
  public void requestStarted(RequestRecord record) {
    String method = SemConv.knownMethod(record.request().method());
    SpanBuilder builder = tracer.spanBuilder(method != null ? method : "HTTP")
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(HTTP_REQUEST_METHOD, method != null ? method : "_OTHER");
    if (method == null) {
      builder.setAttribute(HTTP_REQUEST_METHOD_ORIGINAL, record.request().method().name());
    }
    Span span;
    if (record.parentSpanId() == null) {
      span = ids.start(builder.setNoParent(), record.traceId(), record.spanId());
    } else {
      // The caller's span, from the record's own parse of traceparent, so that the trace id is
      // the one the record (and every log line) has; the sampler follows its sampled flag.
      SpanContext caller = SpanContext.createFromRemoteParent(record.traceId(), record.parentSpanId(),
          record.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(), traceState(record));
      span = ids.start(builder.setParent(Context.root().with(Span.wrap(caller))), null, record.spanId());
    }
    SpanContext own = span.getSpanContext();
    record.spanId(own.getSpanId());
    record.sampled(own.isSampled());
    record.slot(slot, span);
  }

  @Override
  public void attemptStarted(RequestRecord record, Attempt attempt) {
    Span server = record.slot(slot);
    if (server == null) {
      return;
    }
    String method = SemConv.knownMethod(record.request().method());
    SpanBuilder builder = tracer.spanBuilder(method != null ? method : "HTTP")
        .setSpanKind(SpanKind.CLIENT)
        .setParent(Context.root().with(server));
    if (server.isRecording()) {
      builder.setAttribute(HTTP_REQUEST_METHOD, method != null ? method : "_OTHER");
      if (attempt.host() != null) {
        builder.setAttribute(SERVER_ADDRESS, attempt.host());
        builder.setAttribute(SERVER_PORT, attempt.port());
      }
      if (attempt.target() != null) {
        builder.setAttribute(URL_FULL, attempt.endpoint() + PhiMasker.DEFAULT.maskDecoded(attempt.target()));
      }
      if (attempt.number() > 1) {
        builder.setAttribute(HTTP_REQUEST_RESEND_COUNT, attempt.number() - 1);
      }
    }
    Span span = builder.startSpan();
    attempt.span(span);
    SpanContext own = span.getSpanContext();
    attempt.traceparent(TraceContext.format(own.getTraceId(), own.getSpanId(), own.isSampled()));
  }

  @Override
  public void attemptEnded(RequestRecord record, Attempt attempt) {
    if (!(attempt.span() instanceof Span span)) {
      return;
    }
    if (span.isRecording()) {
      if (attempt.outcome() == Attempt.Outcome.RESPONSE) {
        int status = attempt.status();
        span.setAttribute(HTTP_RESPONSE_STATUS_CODE, status);
        if (status >= 400) {
          // Semconv: for a client, any 4xx or 5xx means the call did not do what was asked.
          span.setAttribute(ERROR_TYPE, Integer.toString(status));
          span.setStatus(StatusCode.ERROR);
        }
      } else {
        // No response: the transport failed, timed out, or the attempt was abandoned.
        span.setAttribute(ERROR_TYPE, OUTCOMES[attempt.outcome().ordinal()]);
        span.setStatus(StatusCode.ERROR);
      }
    }
    span.end();
  }

  @Override
  public void event(RequestRecord record, String name) {
    Span span = record.slot(slot);
    if (span != null) {
      span.addEvent(name);
    }
  }

  @Override
  public void requestEnded(RequestRecord record) {
    Span span = record.slot(slot);
    if (span == null) {
      return;
    }
    if (span.isRecording()) {
      describe(span, record);
    }
    span.end();
  }

  /**
   * A request the connection guard refused: a SERVER span of its own, in the trace whose id the
   * access line has, started and ended at once. Nothing of the head was trusted, so the method is
   * "_OTHER" (semconv for a method not known) and there is no path or route.
   */
  @Override
  public void rejected(Rejection rejection) {
    SpanBuilder builder = tracer.spanBuilder("HTTP")
        .setSpanKind(SpanKind.SERVER)
        .setNoParent()
        .setAttribute(HTTP_REQUEST_METHOD, "_OTHER");
    Span span = ids.start(builder, rejection.traceId(), null);
    if (span.isRecording()) {
      span.setAttribute(HTTP_RESPONSE_STATUS_CODE, rejection.status());
      span.setAttribute(GATEWAY_REQUEST_ID, rejection.requestId());
      span.setAttribute(GATEWAY_PROBLEM, rejection.problemCode());
      if (rejection.client() != null) {
        span.setAttribute(CLIENT_ADDRESS, rejection.client());
      }
      if (rejection.status() >= 500) {
        span.setAttribute(ERROR_TYPE, rejection.problemCode());
        span.setStatus(StatusCode.ERROR);
      }
    }
    span.end();
  }

  private static void describe(Span span, RequestRecord record) {
    HttpServerRequest req = record.request();
    if (record.path() != null) {
      // Normalised, without the query, and masked like the access log: spans leave the gateway
      // for a collector, and a path may hold an e-mail address or a national id.
      span.setAttribute(URL_PATH, PhiMasker.DEFAULT.maskDecoded(record.path()));
    }
    if (record.routeId() != null) {
      span.setAttribute(HTTP_ROUTE, record.routeId());
      String method = SemConv.knownMethod(req.method());
      span.updateName((method != null ? method : "HTTP") + " " + record.routeId());
    }
    int status = record.status();
    span.setAttribute(HTTP_RESPONSE_STATUS_CODE, status);
    span.setAttribute(GATEWAY_REQUEST_ID, record.requestId());
    if (record.problemCode() != null) {
      span.setAttribute(GATEWAY_PROBLEM, record.problemCode());
    }
    // The client the gateway settled on (behind trusted proxies, the forwarded one), as logged.
    String client = record.clientAddress();
    if (client == null && req.remoteAddress() != null) {
      client = req.remoteAddress().hostAddress();
    }
    if (client != null) {
      span.setAttribute(CLIENT_ADDRESS, client);
    }
    // No user_agent.original: it can carry personal data, and the access log has it masked under
    // the same trace id. The protocol only when it is not the common HTTP/1.1: every attribute is
    // marshalled for every exported span, the larger part of tracing's cost at sampling 1.
    if (req.version() != io.vertx.core.http.HttpVersion.HTTP_1_1) {
      span.setAttribute(NETWORK_PROTOCOL_VERSION, protocolVersion(req.version()));
    }
    if (status >= 500) {
      // Semconv: for a server, only 5xx is its own failure; a 4xx is the client's.
      span.setAttribute(ERROR_TYPE, record.problemCode() != null ? record.problemCode() : Integer.toString(status));
      span.setStatus(StatusCode.ERROR);
    }
  }

  private static String protocolVersion(HttpVersion version) {
    return switch (version) {
      case HTTP_1_0 -> "1.0";
      case HTTP_1_1 -> "1.1";
      case HTTP_2 -> "2";
    };
  }

  /**
   * The caller's tracestate, recorded on the gateway's spans as the spec asks. Parsed by the W3C
   * propagator (only when the header is there); kept only if the propagator read the same parent
   * as the record, whose ids are the ones in use.
   */
  private static TraceState traceState(RequestRecord record) {
    if (record.traceState() == null) {
      return TraceState.getDefault();
    }
    Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(), record.request(), HEADERS);
    SpanContext parsed = Span.fromContext(extracted).getSpanContext();
    return parsed.getTraceId().equals(record.traceId()) && parsed.getSpanId().equals(record.parentSpanId())
        ? parsed.getTraceState() : TraceState.getDefault();
  }

  private static String[] outcomeNames() {
    Attempt.Outcome[] all = Attempt.Outcome.values();
    String[] names = new String[all.length];
    for (Attempt.Outcome o : all) {
      names[o.ordinal()] = o.name().toLowerCase(Locale.ROOT);
    }
    return names;
  }
}
