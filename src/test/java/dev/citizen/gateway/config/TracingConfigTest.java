package dev.citizen.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code observability.tracing}: binding, defaults, and every error with its key path. */
@Timeout(10)
class TracingConfigTest {
  private static GatewayConfig parse(String yaml) throws ConfigException {
    return new ConfigLoader(name -> name.equals("OTLP_TOKEN") ? "s3cret" : null).parse(yaml, "test.yaml");
  }

  private static List<ConfigError> errors(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).errors();
  }

  private static List<String> paths(List<ConfigError> errors) {
    return errors.stream().map(ConfigError::path).toList();
  }

  @Test
  void offByDefault() throws Exception {
    TracingConfig t = parse("server: {port: 0}\n").observability().tracing();
    assertFalse(t.enabled());
    assertEquals(1.0, t.samplingRatio());
    assertEquals("citizen-gateway", t.serviceName());
    assertEquals(Duration.ofSeconds(10), t.timeout());
    assertEquals(Duration.ofSeconds(5), t.scheduleDelay());
    assertEquals(Map.of(), t.headers());
  }

  @Test
  void everyKeyBinds() throws Exception {
    TracingConfig t = parse("""
        observability:
          tracing:
            enabled: true
            endpoint: https://otel.example.org:4318/v1/traces
            samplingRatio: 0.25
            serviceName: edge-gateway
            timeout: 3s
            scheduleDelay: 200ms
            headers: {Authorization: "Bearer ${OTLP_TOKEN}"}
        """).observability().tracing();
    assertTrue(t.enabled());
    assertEquals("https://otel.example.org:4318/v1/traces", t.endpoint());
    assertEquals(0.25, t.samplingRatio());
    assertEquals("edge-gateway", t.serviceName());
    assertEquals(Duration.ofSeconds(3), t.timeout());
    assertEquals(Duration.ofMillis(200), t.scheduleDelay());
    assertEquals(Map.of("Authorization", "Bearer s3cret"), t.headers());
  }

  @Test
  void enabledWithoutAnEndpointIsAnError() {
    List<ConfigError> errors = errors("observability: {tracing: {enabled: true}}\n");
    assertEquals(List.of("observability.tracing.endpoint"), paths(errors));
    assertTrue(errors.get(0).message().contains("http://127.0.0.1:4318/v1/traces"), errors.get(0).message());
  }

  @Test
  void badValuesAreReportedWithTheirKeyPaths() {
    List<ConfigError> errors = errors("""
        observability:
          tracing:
            enabled: true
            endpoint: "grpc://127.0.0.1:4317"
            samplingRatio: 1.5
            serviceName: " "
            timeout: 0
            scheduleDelay: 0
            headers: {"Bad Header": x, X-Ok: "line\\nbreak"}
        """);
    assertEquals(List.of("observability.tracing.endpoint", "observability.tracing.samplingRatio",
        "observability.tracing.serviceName", "observability.tracing.timeout", "observability.tracing.scheduleDelay",
        "observability.tracing.headers.Bad Header", "observability.tracing.headers.X-Ok"), paths(errors));
    assertFalse(errors.get(6).message().contains("break"), "a header value (a credential) is never echoed");
  }

  @Test
  void credentialsBelongInHeadersNotTheUrl() {
    List<ConfigError> errors = errors("observability: {tracing: {enabled: true, "
        + "endpoint: \"http://user:pw@127.0.0.1:4318/v1/traces\"}}\n");
    assertEquals(List.of("observability.tracing.endpoint"), paths(errors));
    assertTrue(errors.get(0).message().contains("headers"), errors.get(0).message());
  }

  @Test
  void unknownKeysAndWrongTypesAreBindingErrors() {
    List<ConfigError> errors = errors("observability: {tracing: {enabled: yes, sampling: 0.5, samplingRatio: half}}\n");
    assertEquals(List.of("observability.tracing.enabled", "observability.tracing.sampling",
        "observability.tracing.samplingRatio"), paths(errors));
    assertTrue(errors.get(1).message().contains("samplingRatio"), "the known keys are listed");
  }
}
