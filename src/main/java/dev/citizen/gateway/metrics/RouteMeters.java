package dev.citizen.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request meters of one route and service: {@code gateway_request_duration_seconds} per
 * method × status class, {@code gateway_requests_in_flight} per method and
 * {@code gateway_retries_total}. Each meter is registered the first time its label set occurs and
 * kept in an array slot, so a request costs an index computation and a record, never a Micrometer
 * id or tag list.
 */
final class RouteMeters {
  static final String REQUEST_DURATION = "gateway.request.duration";
  static final String REQUESTS_IN_FLIGHT = "gateway.requests.in.flight";
  static final String RETRIES = "gateway.retries";

  /** Label values of {@code method}: the methods the gateway knows, anything else is OTHER. */
  static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER"};
  static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  private final MeterRegistry registry;
  final String route;
  final String service;
  private final AtomicReferenceArray<Timer> durations =
      new AtomicReferenceArray<>(METHODS.length * STATUS_CLASSES.length);
  private final AtomicReferenceArray<LongAdder> inFlight = new AtomicReferenceArray<>(METHODS.length);
  private volatile Counter retries;

  RouteMeters(MeterRegistry registry, String route, String service) {
    this.registry = registry;
    this.route = route;
    this.service = service;
  }

  /** A request of this route is now in flight (its first upstream attempt starts). */
  void started(HttpMethod method) {
    inFlight(methodIndex(method)).increment();
  }

  /**
   * A request of this route ended with {@code status} after {@code nanos}; {@code wasInFlight}
   * when {@link #started} counted it.
   */
  void ended(HttpMethod method, int status, long nanos, boolean wasInFlight) {
    int m = methodIndex(method);
    if (wasInFlight) {
      inFlight(m).decrement();
    }
    duration(m, statusClassIndex(status)).record(nanos, TimeUnit.NANOSECONDS);
  }

  void retried() {
    Counter c = retries;
    if (c == null) {
      c = Counter.builder(RETRIES).description("Retries of a request on the route, after a failed attempt")
          .tags("route", route, "service", service).register(registry);
      retries = c;
    }
    c.increment();
  }

  private Timer duration(int method, int statusClass) {
    int i = method * STATUS_CLASSES.length + statusClass;
    Timer t = durations.get(i);
    if (t == null) {
      // Two event loops may both get here: the registry hands both the same timer.
      t = Timer.builder(REQUEST_DURATION)
          .description("Requests from head received to response written, by route, method and status class")
          .tags("route", route, "service", service, "method", METHODS[method],
              "status_class", STATUS_CLASSES[statusClass])
          .serviceLevelObjectives(Buckets.LATENCY)
          .register(registry);
      durations.set(i, t);
    }
    return t;
  }

  private LongAdder inFlight(int method) {
    LongAdder a = inFlight.get(method);
    if (a != null) {
      return a;
    }
    LongAdder fresh = new LongAdder();
    if (!inFlight.compareAndSet(method, null, fresh)) {
      return inFlight.get(method);
    }
    // LongAdder rather than AtomicLong: every event loop adds and removes on it, and the sum is
    // read only at scrape time.
    Gauge.builder(REQUESTS_IN_FLIGHT, fresh, LongAdder::sum)
        .description("Requests of the route being proxied: from the first upstream attempt to the response end")
        .tags("route", route, "service", service, "method", METHODS[method])
        .strongReference(true)
        .register(registry);
    return fresh;
  }

  static int methodIndex(HttpMethod m) {
    // Vert.x hands out its constants for the standard methods: the identity checks are the fast path.
    if (m == HttpMethod.GET) {
      return 0;
    }
    if (m == HttpMethod.POST) {
      return 2;
    }
    return switch (m.name()) {
      case "GET" -> 0;
      case "HEAD" -> 1;
      case "POST" -> 2;
      case "PUT" -> 3;
      case "DELETE" -> 4;
      case "PATCH" -> 5;
      case "OPTIONS" -> 6;
      default -> 7;
    };
  }

  /** 1xx..5xx; a status outside 100..599 (never sent by the gateway itself) joins the nearest class. */
  static int statusClassIndex(int status) {
    if (status < 200) {
      return 0;
    }
    if (status >= 500) {
      return 4;
    }
    return status / 100 - 1;
  }
}
