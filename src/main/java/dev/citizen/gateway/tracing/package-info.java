/**
 * OpenTelemetry tracing: a SERVER span per request and a CLIENT span per upstream attempt, exported
 * over OTLP/HTTP (protobuf) to a collector. W3C trace context itself is always on
 * ({@link dev.citizen.gateway.observe.TraceContext}); this package adds the spans.
 *
 * <pre>{@code
 * observability:
 *   tracing:
 *     enabled: true                                     # default false
 *     endpoint: http://otel-collector:4318/v1/traces    # required when enabled
 *     samplingRatio: 0.1          # new traces recorded, 0..1; a caller's flag is followed (default 1.0)
 *     serviceName: citizen-gateway                      # default
 *     timeout: 10s                # one export (default 10s)
 *     scheduleDelay: 5s           # longest wait of an ended span before export (default 5s)
 *     headers: {Authorization: "Bearer ${OTLP_TOKEN}"}  # sent with every export (default none)
 * }</pre>
 *
 * <h2>What a trace shows</h2>
 *
 * <ul>
 *   <li>Server span {@code GET <route id>} (just {@code GET} when no route matched): its parent is
 *       the caller's span from {@code traceparent} (with its {@code tracestate}), or none when the
 *       trace starts here. Attributes: {@code http.request.method}, {@code url.path}
 *       (normalised, never the query, personal data masked as in the access log),
 *       {@code http.route} (the route id), {@code http.response.status_code},
 *       {@code client.address}, {@code network.protocol.version} (only when not HTTP/1.1),
 *       {@code gateway.request_id}, {@code gateway.problem} for
 *       gateway-made errors; status ERROR and {@code error.type} (the
 *       problem code, else the status) on 5xx only. Events: the gateway's decisions, {@code retry},
 *       {@code circuit_open}, {@code no_endpoint}, {@code retry_budget_exhausted},
 *       {@code deadline}.
 *   <li>Client span {@code GET} per attempt, child of the server span:
 *       {@code http.request.method}, {@code server.address}, {@code server.port}, {@code url.full}
 *       (the URL sent upstream, no query, masked), {@code http.request.resend_count} on retries,
 *       {@code http.response.status_code}; status ERROR with
 *       {@code error.type} for a 4xx/5xx (the status) or no response at all
 *       ({@code connect_failed}, {@code reset}, {@code timeout}, {@code client},
 *       {@code cancelled}). The upstream's {@code traceparent} names this span, so the service's
 *       own spans hang below the attempt that reached it.
 * </ul>
 *
 * <h2>Ids</h2>
 *
 * <p>The request's {@link dev.citizen.gateway.observe.RequestRecord} has its trace id and a span id
 * before any observer runs, and everything else (log lines, the {@code traceparent} returned to
 * the client) uses them. The server span is made with exactly those ids
 * ({@link dev.citizen.gateway.tracing.RecordIds}), so a trace id found in a log line or a support
 * call leads to the exported trace; the tracer then records the sampling decision on the record.
 *
 * <h2>Sampling</h2>
 *
 * <p>Parent-based: a caller that sampled its trace (flag 01) is always recorded, one that did not
 * (00) never is, so a trace is never exported in part; a trace that starts here is recorded with
 * probability {@code samplingRatio}, decided from its trace id. An unsampled request still has ids
 * and passes them on (flag 00), costs little more than with tracing off, and exports nothing.
 *
 * <h2>Export and its costs</h2>
 *
 * <p>Span callbacks run on the request's event loop and do not block: an ended span goes into the
 * SDK's batch processor, a bounded lock-free queue (2048 spans) drained by one background thread
 * in batches of 512 through the JDK's HTTP client. When the collector is slow or down the queue
 * fills and new spans are dropped; requests never wait. Export failures appear in the gateway's
 * log under the SDK's logger names ({@link dev.citizen.gateway.tracing.SdkLogBridge}).
 * {@code Gateway.close()} exports what is still queued (waiting at most {@code timeout} + 1 s).
 * Settings apply at start; a reload does not change them.
 */
package dev.citizen.gateway.tracing;
