package dev.citizen.gateway.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * The SDK's id generator, made to use the ids a {@link dev.citizen.gateway.observe.RequestRecord}
 * already has for the server span: the record made its trace id (or took the caller's) and a span
 * id when the request arrived, before any observer ran, and the request's log lines, the
 * {@code traceparent} sent back and the one sent upstream all use them. The SDK offers no way to
 * start a root span with a given trace id but its {@link IdGenerator}, so {@link #start} puts the
 * record's ids where the generator finds them, on this thread, for the one span it starts.
 *
 * <p>Every other span (the client spans of attempts) gets random ids, as with the default
 * generator. The ids wait in a thread-local holder: the SDK asks for them synchronously inside
 * {@code startSpan()}, on the event loop that called {@link #start}, so nothing is shared between
 * threads and nothing is locked.
 */
final class RecordIds implements IdGenerator {
  private static final IdGenerator RANDOM = IdGenerator.random();

  /** Ids waiting for the span being started on this thread; null fields mean "make one up". */
  private static final class Pending {
    String traceId;
    String spanId;
  }

  private final ThreadLocal<Pending> pending = ThreadLocal.withInitial(Pending::new);

  /**
   * Starts {@code builder}'s span with span id {@code spanId} and, when it has no parent, trace id
   * {@code traceId} (a span with a parent is in its parent's trace; pass null then).
   */
  Span start(SpanBuilder builder, String traceId, String spanId) {
    Pending p = pending.get();
    p.traceId = traceId;
    p.spanId = spanId;
    try {
      return builder.startSpan();
    } finally {
      // Not left for the next span on this thread if the SDK did not ask (a span with a parent).
      p.traceId = null;
      p.spanId = null;
    }
  }

  @Override
  public String generateTraceId() {
    Pending p = pending.get();
    String id = p.traceId;
    if (id == null) {
      return RANDOM.generateTraceId();
    }
    p.traceId = null;
    return id;
  }

  @Override
  public String generateSpanId() {
    Pending p = pending.get();
    String id = p.spanId;
    if (id == null) {
      return RANDOM.generateSpanId();
    }
    p.spanId = null;
    return id;
  }
}
