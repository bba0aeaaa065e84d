package dev.citizen.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code routes[].cors}: binding, defaults and every error with its key path. */
class CorsConfigTest {

  private static List<ConfigError> errors(String routeExtra) {
    return assertThrows(ConfigException.class, () -> RateLimitConfigTest.parse(routeExtra)).errors();
  }

  private static List<String> paths(String routeExtra) {
    return errors(routeExtra).stream().map(ConfigError::path).toList();
  }

  @Test
  void bindsWithDefaults() throws Exception {
    CorsConfig c = RateLimitConfigTest.parse("    cors: {allowOrigins: [\"https://app.example.org\"]}\n")
        .routes().get(0).cors();
    assertEquals(List.of("GET", "HEAD", "POST"), c.allowMethods());
    assertEquals(List.of(), c.allowHeaders());
    assertEquals(false, c.allowCredentials());
    assertEquals(Duration.ofMinutes(10), c.maxAge());
  }

  @Test
  void credentialsWithAnyOriginIsAnError() {
    List<ConfigError> e = errors("    cors: {allowOrigins: [\"*\"], allowCredentials: true}\n");
    assertEquals(List.of("routes[0].cors.allowOrigins[0]"), e.stream().map(ConfigError::path).toList());
    assertTrue(e.get(0).message().contains("allowCredentials"), e.get(0).message());
    assertEquals(List.of("routes[0].cors.exposeHeaders"),
        paths("    cors: {allowOrigins: [\"https://a.test\"], allowCredentials: true, exposeHeaders: [\"*\"]}\n"));
  }

  @Test
  void originsMustBeOrigins() {
    assertEquals(List.of("routes[0].cors.allowOrigins"), paths("    cors: {allowCredentials: false}\n"));
    assertEquals(List.of("routes[0].cors.allowOrigins[0]", "routes[0].cors.allowOrigins[1]",
        "routes[0].cors.allowOrigins[2]", "routes[0].cors.allowOrigins[3]", "routes[0].cors.allowOrigins[4]"),
        paths("    cors: {allowOrigins: [\"null\", \"https://a.test/\", \"app.example.org\", "
            + "\"https://a.test:99999\", \"https://a.*.test\"]}\n"));
  }

  @Test
  void badMethodsHeadersAndMaxAge() {
    assertEquals(List.of("routes[0].cors.allowMethods[0]", "routes[0].cors.allowHeaders[0]",
        "routes[0].cors.exposeHeaders[0]"),
        paths("    cors: {allowOrigins: [\"https://a.test\"], allowMethods: [get], allowHeaders: [\"Bad Name\"], "
            + "exposeHeaders: [\"x:y\"]}\n"));
  }

  @Test
  void aRouteLimitedToSomeMethodsMustListOptionsForPreflights() throws Exception {
    RateLimitConfigTest.parse("    cors: {allowOrigins: [\"https://a.test\"]}\n"); // no methods: any, OPTIONS too
    List<ConfigError> e = assertThrows(ConfigException.class, () -> new ConfigLoader(name -> null).parse("""
        services:
          s: {endpoints: [{url: "http://127.0.0.1:9001"}]}
        routes:
          - id: r
            match: {path: /**, methods: [GET, PUT]}
            service: s
            cors: {allowOrigins: ["https://a.test"]}
        """, "test.yaml")).errors();
    assertEquals(List.of("routes[0].match.methods"), e.stream().map(ConfigError::path).toList());
    new ConfigLoader(name -> null).parse("""
        services:
          s: {endpoints: [{url: "http://127.0.0.1:9001"}]}
        routes:
          - id: r
            match: {path: /**, methods: [GET, OPTIONS]}
            service: s
            cors: {allowOrigins: ["https://a.test"]}
        """, "test.yaml");
  }
}
