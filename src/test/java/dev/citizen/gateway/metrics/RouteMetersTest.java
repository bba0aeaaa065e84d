package dev.citizen.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.http.HttpMethod;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Label values are bounded, and each request lands in the one series and bucket it belongs to. */
class RouteMetersTest {
  private static final long MS = 1_000_000;

  @Test
  void methodsOutsideTheKnownSetAreOther() {
    assertEquals("GET", RouteMeters.METHODS[RouteMeters.methodIndex(HttpMethod.GET)]);
    assertEquals("PATCH", RouteMeters.METHODS[RouteMeters.methodIndex(HttpMethod.valueOf("PATCH"))]);
    assertEquals("OPTIONS", RouteMeters.METHODS[RouteMeters.methodIndex(HttpMethod.OPTIONS)]);
    assertEquals("OTHER", RouteMeters.METHODS[RouteMeters.methodIndex(HttpMethod.valueOf("PROPFIND"))]);
    assertEquals("OTHER", RouteMeters.METHODS[RouteMeters.methodIndex(HttpMethod.TRACE)]);
  }

  @Test
  void statusesFallIntoFiveClasses() {
    assertEquals("1xx", RouteMeters.STATUS_CLASSES[RouteMeters.statusClassIndex(101)]);
    assertEquals("2xx", RouteMeters.STATUS_CLASSES[RouteMeters.statusClassIndex(204)]);
    assertEquals("3xx", RouteMeters.STATUS_CLASSES[RouteMeters.statusClassIndex(399)]);
    assertEquals("4xx", RouteMeters.STATUS_CLASSES[RouteMeters.statusClassIndex(404)]);
    assertEquals("5xx", RouteMeters.STATUS_CLASSES[RouteMeters.statusClassIndex(599)]);
    assertEquals("5xx", RouteMeters.STATUS_CLASSES[RouteMeters.statusClassIndex(999)]);
    assertEquals("1xx", RouteMeters.STATUS_CLASSES[RouteMeters.statusClassIndex(0)]);
  }

  @Test
  void requestsLandInTheirSeriesAndBucketsAndLeaveInFlight() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RouteMeters m = new RouteMeters(registry, "patients", "patients-svc");
    m.started(HttpMethod.GET);
    m.started(HttpMethod.GET);
    assertEquals(2, registry.get(RouteMeters.REQUESTS_IN_FLIGHT).tags("method", "GET").gauge().value());
    m.ended(HttpMethod.GET, 200, 120 * MS, true);
    m.ended(HttpMethod.GET, 200, 400 * MS, true);
    m.ended(HttpMethod.GET, 404, 1 * MS, false); // answered by the gateway: never in flight
    assertEquals(0, registry.get(RouteMeters.REQUESTS_IN_FLIGHT).tags("method", "GET").gauge().value());

    Timer ok = registry.get(RouteMeters.REQUEST_DURATION).tags("route", "patients", "service", "patients-svc",
        "method", "GET", "status_class", "2xx").timer();
    assertEquals(2, ok.count());
    assertEquals(1, bucket(ok, 0.3), "120 ms is under 300 ms");
    assertEquals(2, bucket(ok, 0.5), "400 ms is under 500 ms");
    assertEquals(Buckets.LATENCY.length, ok.takeSnapshot().histogramCounts().length, "only the SLO buckets");
    assertEquals(1, registry.get(RouteMeters.REQUEST_DURATION).tags("status_class", "4xx").timer().count());
  }

  private static double bucket(Timer t, double seconds) {
    for (CountAtBucket c : t.takeSnapshot().histogramCounts()) {
      if (c.bucket(TimeUnit.SECONDS) == seconds) {
        return c.count();
      }
    }
    throw new AssertionError("no bucket " + seconds);
  }
}
