/**
 * Logs: the access log (one JSON line per request) and the JSON encoder of every other log line,
 * with the PHI masking both rely on.
 *
 * <h2>Access log</h2>
 *
 * <p>{@link dev.citizen.gateway.accesslog.AccessLog} observes requests; when one ends, its line is
 * built on the event loop from the {@code RequestRecord} ({@code AccessLine}: a reused builder,
 * {@link dev.citizen.gateway.accesslog.JsonLine} escaping, no JSON library) and the finished
 * String goes to a bounded lock-free queue. One writer thread logs the lines to the logger
 * {@code access}, which logback.xml prints to stdout as they are. A full queue drops the line and
 * counts it, and the writer logs a WARN with the count at most every 10 s, so a stalled log output
 * costs lines, never latency. Close writes what is queued (waiting at most 5 s).
 *
 * <pre>
 * observability:
 *   accessLog:
 *     enabled: true                 # (default true)
 *     headers: [X-Tenant]           # request headers to log (default none); Authorization, Cookie,
 *                                   # X-Api-Key and any *auth*, *token*, *session* … header: never
 *     logQuery: true                # write a "query" field (default false)
 *     queryParams: [page, sort]     # values logged in clear (default none: every value is ***)
 *     maskQueryParams: [mrn]        # never in clear, on top of ssn, email, phone, dob, name, token,
 *                                   # password, … (matched anywhere in the name, ignoring case, - and _)
 *     maskPatterns: ['\b[A-Z]{2}\d{6}[A-Z]\b']   # further ids to mask as [id] (default none)
 *     queueSize: 8192               # lines waiting for the output before drops (default 8192)
 * </pre>
 *
 * <p>A line ({@code AccessLine} lists the fields):
 *
 * <pre>
 * {"timestamp":"2025-03-01T09:30:00.123Z","logger":"access","traceId":"4bf92f3577b34da6a3ce929d0e0e4736",
 *  "spanId":"a3ce929d0e0e4736","requestId":"req-1","route":"patients","service":"patients",
 *  "endpoint":"http://10.0.0.7:9001","attempts":1,"method":"GET","path":"/api/patients/[email]/notes",
 *  "query":"email=***&amp;page=2","status":200,"durationMs":12.345,"bytesIn":0,"bytesOut":5120,
 *  "client":"10.0.0.1","userAgent":"curl/8.5.0","headers":{"x-tenant":"acme"}}
 * </pre>
 *
 * <h2>PHI safety</h2>
 *
 * <p>Bodies are never logged, nor are query values or headers unless named in the config.
 * {@link dev.citizen.gateway.accesslog.PhiMasker} replaces what looks like an e-mail address,
 * phone number or SSN (and matches of {@code maskPatterns}) by {@code [email]}, {@code [phone]},
 * {@code [id]} in the path (percent-decoded first, so {@code %40} cannot hide an address), the user
 * agent, the request id, and logged header and query values. The same default masking runs over
 * every other log line's message, values and exception text.
 *
 * <h2>Other log lines</h2>
 *
 * <p>{@link dev.citizen.gateway.accesslog.JsonLogEncoder}: one JSON object per line with
 * {@code timestamp}, {@code level}, {@code logger}, {@code thread}, {@code message}, the event's
 * SLF4J key-values as fields (request-path lines carry {@code traceId} and {@code requestId}) and
 * {@code exception} as one string.
 */
package dev.citizen.gateway.accesslog;
