package dev.citizen.gateway.accesslog;

import dev.citizen.gateway.config.AccessLogConfig;
import dev.citizen.gateway.observe.Rejection;
import dev.citizen.gateway.observe.RequestRecord;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Formats the access-log line of one request from its {@link RequestRecord}, on the request's
 * event loop: into a builder kept per thread, so a line costs its String and little else. The
 * fields, in this order, absent ones left out:
 *
 * <pre>
 * timestamp  request start, ISO-8601 UTC, milliseconds     logger     always "access"
 * traceId, spanId  the gateway's server span               requestId  as in X-Request-Id
 * route, service   ids from the config                     endpoint   URL of the last attempt
 * version    canary/blue-green version, when the service has versions
 * attempts   tries at endpoints (0: the gateway answered)  method, path (decoded, masked)
 * query      only with logQuery (see QueryRedactor)        status     as sent to the client
 * problem    code of a gateway-made error                  durationMs head in to response out
 * bytesIn, bytesOut  body bytes                            client     the client's address (the
 *                                                          peer, or what a trusted proxy forwarded)
 * userAgent  masked                                        headers    the allowed ones, masked
 * </pre>
 */
final class AccessLine {
  /** A builder that grew past this for one huge line is not kept for the next. */
  private static final int KEEP_CAPACITY = 8 * 1024;
  private static final JsonLine.Key TIMESTAMP = JsonLine.Key.of("timestamp");
  private static final JsonLine.Key LOGGER = JsonLine.Key.of("logger");
  private static final JsonLine.Key TRACE_ID = JsonLine.Key.of("traceId");
  private static final JsonLine.Key SPAN_ID = JsonLine.Key.of("spanId");
  private static final JsonLine.Key REQUEST_ID = JsonLine.Key.of("requestId");
  private static final JsonLine.Key ROUTE = JsonLine.Key.of("route");
  private static final JsonLine.Key SERVICE = JsonLine.Key.of("service");
  private static final JsonLine.Key ENDPOINT = JsonLine.Key.of("endpoint");
  private static final JsonLine.Key VERSION = JsonLine.Key.of("version");
  private static final JsonLine.Key ATTEMPTS = JsonLine.Key.of("attempts");
  private static final JsonLine.Key METHOD = JsonLine.Key.of("method");
  private static final JsonLine.Key PATH = JsonLine.Key.of("path");
  private static final JsonLine.Key QUERY = JsonLine.Key.of("query");
  private static final JsonLine.Key STATUS = JsonLine.Key.of("status");
  private static final JsonLine.Key PROBLEM = JsonLine.Key.of("problem");
  private static final JsonLine.Key DURATION_MS = JsonLine.Key.of("durationMs");
  private static final JsonLine.Key BYTES_IN = JsonLine.Key.of("bytesIn");
  private static final JsonLine.Key BYTES_OUT = JsonLine.Key.of("bytesOut");
  private static final JsonLine.Key CLIENT = JsonLine.Key.of("client");
  private static final JsonLine.Key USER_AGENT = JsonLine.Key.of("userAgent");
  private static final ThreadLocal<StringBuilder> BUILDER = ThreadLocal.withInitial(() -> new StringBuilder(512));
  /**
   * Masked user agents by raw value, per thread, direct-mapped: clients send the same few user
   * agents over and over, and masking a browser's (digits and dots throughout) costs far more than
   * a lookup. Even slots hold the raw value, odd slots its masked form. Per instance, since the
   * masker (its configured patterns) is.
   */
  private static final int UA_SLOTS = 64;
  private final ThreadLocal<String[]> userAgents = ThreadLocal.withInitial(() -> new String[2 * UA_SLOTS]);

  private final PhiMasker masker;
  private final QueryRedactor query;
  private final boolean logQuery;
  /** Lower-case names of the headers to log; never a secret one. */
  private final String[] headers;

  AccessLine(AccessLogConfig config, PhiMasker masker) {
    this.masker = masker;
    this.query = new QueryRedactor(config, masker);
    this.logQuery = config.logQuery();
    // The validator rejects secret headers; they are dropped here too, so that no way of building
    // a config (tests, embedding code) can log one.
    this.headers = config.headers().stream()
        .filter(h -> h != null && !AccessLogConfig.isSecretHeader(h))
        .map(h -> h.toLowerCase(Locale.ROOT))
        .distinct()
        .toArray(String[]::new);
  }

  String format(RequestRecord r) {
    StringBuilder sb = BUILDER.get();
    JsonLine json = new JsonLine(sb);
    HttpServerRequest req = r.request();
    json.timestamp(TIMESTAMP, r.startEpochMillis())
        .field(LOGGER, AccessLog.LOGGER)
        .field(TRACE_ID, r.traceId())
        .field(SPAN_ID, r.spanId())
        .field(REQUEST_ID, masker.mask(r.requestId()))
        .field(ROUTE, r.routeId())
        .field(SERVICE, r.service())
        .field(ENDPOINT, r.endpoint())
        .field(VERSION, r.version()) // null for a service without versions
        .field(ATTEMPTS, r.attempts())
        .field(METHOD, req.method().name())
        .field(PATH, masker.maskDecoded(r.path() != null ? r.path() : req.path()));
    if (logQuery) {
      json.field(QUERY, query.redact(req.query()));
    }
    json.field(STATUS, r.status())
        .field(PROBLEM, r.problemCode())
        .millis(DURATION_MS, r.durationNanos())
        .field(BYTES_IN, r.bytesIn())
        .field(BYTES_OUT, r.bytesOut())
        .field(CLIENT, client(r))
        .field(USER_AGENT, userAgent(req.getHeader("User-Agent")));
    headers(json, req);
    String line = json.end().toString();
    if (sb.capacity() > KEEP_CAPACITY) {
      BUILDER.set(new StringBuilder(512));
    }
    return line;
  }

  /**
   * The line of a request the connection's guard refused: the same fields as far as they are
   * known (no route, method or path: nothing of the head was trusted), {@code attempts} 0.
   */
  String format(Rejection r) {
    return new JsonLine(BUILDER.get()) // a short line: the builder never grows past KEEP_CAPACITY here
        .timestamp(TIMESTAMP, r.epochMillis())
        .field(LOGGER, AccessLog.LOGGER)
        .field(TRACE_ID, r.traceId())
        .field(REQUEST_ID, r.requestId())
        .field(ATTEMPTS, 0)
        .field(STATUS, r.status())
        .field(PROBLEM, r.problemCode())
        .field(CLIENT, r.client())
        .end().toString();
  }

  private void headers(JsonLine json, HttpServerRequest req) {
    boolean open = false;
    for (String name : headers) {
      List<String> values = req.headers().getAll(name);
      if (values.isEmpty()) {
        continue;
      }
      if (!open) {
        json.beginObject("headers");
        open = true;
      }
      json.field(name, masker.mask(values.size() == 1 ? values.get(0) : String.join(", ", values)));
    }
    if (open) {
      json.endObject();
    }
  }

  private String userAgent(String raw) {
    if (raw == null) {
      return null;
    }
    String[] cache = userAgents.get();
    int slot = 2 * (raw.hashCode() & (UA_SLOTS - 1));
    if (raw.equals(cache[slot])) {
      return cache[slot + 1];
    }
    String masked = masker.mask(raw);
    cache[slot] = raw;
    cache[slot + 1] = masked;
    return masked;
  }

  /** The client the gateway settled on (trusted proxies honoured), else the socket's peer. */
  private static String client(RequestRecord r) {
    if (r.clientAddress() != null) {
      return r.clientAddress();
    }
    SocketAddress peer = r.request().remoteAddress();
    return peer == null ? null : peer.hostAddress();
  }
}
