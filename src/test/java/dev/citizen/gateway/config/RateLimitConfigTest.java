package dev.citizen.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code routes[].rateLimit}: binding, defaults and every error with its key path. */
class RateLimitConfigTest {
  static GatewayConfig parse(String routeExtra) throws ConfigException {
    return new ConfigLoader(name -> null).parse("""
        services:
          s: {endpoints: [{url: "http://127.0.0.1:9001"}]}
        routes:
          - id: r
            match: {path: /**}
            service: s
        """ + routeExtra, "test.yaml");
  }

  static List<String> errorPaths(String routeExtra) {
    return assertThrows(ConfigException.class, () -> parse(routeExtra)).errors().stream()
        .map(ConfigError::path).toList();
  }

  @Test
  void bindsWithDefaults() throws Exception {
    RateLimitConfig rl = parse("    rateLimit: {requests: 100, per: 1m}\n").routes().get(0).rateLimit();
    assertEquals(100, rl.requests());
    assertEquals(Duration.ofMinutes(1), rl.per());
    assertEquals(0, rl.burst());
    assertEquals("client", rl.key());
    assertEquals(100_000, rl.maxKeys());
    RateLimitConfig all = parse("    rateLimit: {requests: 5, per: 1s, burst: 20, key: \"header:X-Tenant\", "
        + "maxKeys: 500}\n").routes().get(0).rateLimit();
    assertEquals(20, all.burst());
    assertEquals("header:X-Tenant", all.key());
  }

  @Test
  void everyBadValueIsReportedWithItsPath() {
    assertEquals(List.of("routes[0].rateLimit.requests", "routes[0].rateLimit.per"), errorPaths("    rateLimit: {}\n"));
    assertEquals(List.of("routes[0].rateLimit.requests", "routes[0].rateLimit.per", "routes[0].rateLimit.burst",
        "routes[0].rateLimit.key", "routes[0].rateLimit.maxKeys"),
        errorPaths("    rateLimit: {requests: 0, per: 2d, burst: -1, key: ip, maxKeys: 5}\n"));
    assertEquals(List.of("routes[0].rateLimit.key"), errorPaths("    rateLimit: {requests: 1, per: 1s, key: \"header:\"}\n"));
    assertEquals(List.of("routes[0].rateLimit.per"), errorPaths("    rateLimit: {requests: 1, per: 0}\n"));
  }

  @Test
  void aBucketTooDeepForTheClockIsRefused() {
    List<String> paths = errorPaths("    rateLimit: {requests: 1, per: 1d, burst: 1000000000}\n");
    assertEquals(List.of("routes[0].rateLimit.burst"), paths);
  }

  @Test
  void unknownKeysAreErrors() {
    assertTrue(errorPaths("    rateLimit: {requests: 1, per: 1s, rate: 5}\n").contains("routes[0].rateLimit.rate"));
  }
}
