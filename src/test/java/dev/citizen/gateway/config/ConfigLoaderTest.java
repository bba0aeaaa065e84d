package dev.citizen.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.server.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ConfigLoaderTest {
  private static final Function<String, String> NO_ENV = name -> null;

  private static final String FULL = """
      server:
        host: 127.0.0.1
        port: 8443
        limits:
          maxHeaderBytes: 16KiB
          maxUriBytes: 512B
          maxBodyBytes: 10MiB
        timeouts:
          header: 250ms
          idle: 5m
      admin:
        host: 0.0.0.0
        port: 9000
      services:
        patients:
          endpoints:
            - url: http://127.0.0.1:9001
              weight: 3
            - url: http://10.0.0.2:9001
          timeouts: {connect: 250ms, response: 10s}
        billing:
          endpoints: [{url: "http://billing.internal:80"}]
      routes:
        - id: patients
          match:
            path: /api/patients/**
            methods: [GET, POST]
            host: "*.example.org"
            headers: {X-Tenant: acme}
          service: patients
          stripPrefix: /api
          maxBodyBytes: 8KiB
          preserveHost: true
        - id: billing
          match: {path: "/api/invoices/{id}"}
          service: billing
      """;

  // ------------------------------------------------------------------ binding

  @Test
  void fullConfigBindsEveryValue() throws Exception {
    GatewayConfig c = parse(FULL);
    ServerConfig s = c.server();
    assertEquals("127.0.0.1", s.host());
    assertEquals(8443, s.port());
    assertEquals(16 * 1024, s.limits().maxHeaderBytes().bytes());
    assertEquals(512, s.limits().maxUriBytes().bytes());
    assertEquals(10L * 1024 * 1024, s.limits().maxBodyBytes().bytes());
    assertEquals(Duration.ofMillis(250), s.timeouts().header());
    assertEquals(Duration.ofMinutes(5), s.timeouts().idle());
    assertEquals("0.0.0.0", c.admin().host());
    assertEquals(9000, c.admin().port());

    assertEquals(List.of("patients", "billing"), List.copyOf(c.services().keySet()), "file order kept");
    ServiceConfig patients = c.services().get("patients");
    assertEquals(2, patients.endpoints().size());
    assertEquals("http://127.0.0.1:9001", patients.endpoints().get(0).url());
    assertEquals(3, patients.endpoints().get(0).weight());
    assertEquals(1, patients.endpoints().get(1).weight(), "default weight");
    assertEquals(Duration.ofMillis(250), patients.timeouts().connect());
    assertEquals(Duration.ofSeconds(10), patients.timeouts().response());
    ServiceConfig billing = c.services().get("billing");
    assertEquals(Duration.ofSeconds(1), billing.timeouts().connect(), "default connect timeout");
    assertEquals(Duration.ofSeconds(30), billing.timeouts().response(), "default response timeout");

    assertEquals(2, c.routes().size());
    RouteConfig r0 = c.routes().get(0);
    assertEquals("patients", r0.id());
    assertEquals("/api/patients/**", r0.match().path());
    assertEquals(List.of("GET", "POST"), r0.match().methods());
    assertEquals("*.example.org", r0.match().host());
    assertEquals(Map.of("X-Tenant", "acme"), r0.match().headers());
    assertEquals("patients", r0.service());
    assertEquals("/api", r0.stripPrefix());
    assertEquals(8 * 1024, r0.maxBodyBytes().bytes());
    assertTrue(r0.preserveHost());
    RouteConfig r1 = c.routes().get(1);
    assertEquals("/api/invoices/{id}", r1.match().path());
    assertEquals(List.of(), r1.match().methods(), "no methods: any");
    assertNull(r1.match().host());
    assertEquals(Map.of(), r1.match().headers());
    assertNull(r1.stripPrefix());
    assertNull(r1.maxBodyBytes(), "route limit absent: server.limits.maxBodyBytes applies");
    assertEquals(false, r1.preserveHost());
  }

  @Test
  void fullConfigCompilesAndRouteLimitsResolve() throws Exception {
    Snapshot snap = Snapshot.compile(parse(FULL));
    var routes = snap.router().routes();
    assertEquals(2, routes.size());
    var byId = routes.stream().collect(Collectors.toMap(r -> r.id(), r -> r));
    assertEquals(8 * 1024, byId.get("patients").maxBodyBytes(), "route-level maxBodyBytes wins");
    assertEquals(10L * 1024 * 1024, byId.get("billing").maxBodyBytes(), "server default applies");
    assertEquals("billing.internal", snap.services().get("billing").endpoints()[0].host());
    assertEquals(80, snap.services().get("billing").endpoints()[0].port());
  }

  @Test
  void defaultsWhenKeysAreAbsent() throws Exception {
    GatewayConfig c = parse("""
        services:
          s: {endpoints: [{url: "http://127.0.0.1:1"}]}
        routes:
          - {id: r, match: {path: /}, service: s}
        """);
    assertEquals("0.0.0.0", c.server().host());
    assertEquals(8080, c.server().port());
    assertEquals(8 * 1024, c.server().limits().maxHeaderBytes().bytes());
    assertEquals(8 * 1024, c.server().limits().maxUriBytes().bytes());
    assertEquals(10L * 1024 * 1024, c.server().limits().maxBodyBytes().bytes());
    assertEquals(Duration.ofSeconds(10), c.server().timeouts().header());
    assertEquals(Duration.ofSeconds(60), c.server().timeouts().idle());
    assertEquals(true, c.server().reusePort());
    assertEquals(Duration.ofSeconds(5), c.server().drain().delay());
    assertEquals(Duration.ofSeconds(30), c.server().drain().timeout());
    assertEquals("127.0.0.1", c.admin().host());
    assertEquals(9901, c.admin().port());
    assertEquals(Duration.ofSeconds(1), c.services().get("s").timeouts().connect());
    assertEquals(Duration.ofSeconds(30), c.services().get("s").timeouts().response());
  }

  @Test
  void partialSectionsKeepTheirOtherDefaults() throws Exception {
    GatewayConfig c = parse("server: {limits: {maxBodyBytes: 1MiB}, timeouts: {idle: 0}}\n");
    assertEquals(1024 * 1024, c.server().limits().maxBodyBytes().bytes());
    assertEquals(8 * 1024, c.server().limits().maxHeaderBytes().bytes());
    assertEquals(Duration.ZERO, c.server().timeouts().idle());
    assertEquals(Duration.ofSeconds(10), c.server().timeouts().header());
    assertEquals(List.of(), c.routes());
    assertEquals(Map.of(), c.services());
  }

  @Test
  void drainAndReusePortSettings() throws Exception {
    GatewayConfig c = parse("server: {reusePort: false, drain: {delay: 0, timeout: 250ms}}\n");
    assertEquals(false, c.server().reusePort());
    assertEquals(Duration.ZERO, c.server().drain().delay());
    assertEquals(Duration.ofMillis(250), c.server().drain().timeout());
    assertEquals(Duration.ofSeconds(5), parse("server: {drain: {timeout: 1m}}\n").server().drain().delay());

    List<ConfigError> errors = errors("server: {reusePort: yes, drain: {delay: soon, timeot: 1s}}\n");
    assertEquals(List.of("server.reusePort", "server.drain.delay", "server.drain.timeot"), paths(errors));
    assertTrue(errors.get(2).message().contains("expected one of: delay, timeout"), errors.get(2).message());

    // Not writable in YAML (durations have no sign), but a config built in code is checked too.
    GatewayConfig negative = new GatewayConfig(new ServerConfig(null, null, null, null, null,
        new ServerDrainConfig(Duration.ofSeconds(-1), Duration.ofSeconds(-1))), null, null, null);
    assertEquals(List.of("server.drain.delay", "server.drain.timeout"), paths(ConfigValidator.validate(negative)));
  }

  @Test
  void durationsAndSizes() {
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
    assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ZERO, Durations.parse("0"));
    for (String bad : new String[] {"10", "1.5s", "-1s", "10 sec", "s", "", "10S"}) {
      assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
    }
    assertEquals(512, DataSize.parse("512B").bytes());
    assertEquals(8 * 1024, DataSize.parse("8KiB").bytes());
    assertEquals(10L * 1024 * 1024, DataSize.parse("10MiB").bytes());
    assertEquals(1024L * 1024 * 1024, DataSize.parse("1GiB").bytes());
    assertEquals(100, DataSize.parse("100").bytes());
    for (String bad : new String[] {"lots", "-1B", "1.5MiB", "10TiB", "KiB", ""}) {
      assertThrows(IllegalArgumentException.class, () -> DataSize.parse(bad), bad);
    }
    assertEquals("8KiB", DataSize.parse("8KiB").toString());
    assertEquals("250ms", Durations.format(Durations.parse("250ms")));
  }

  /** Numbers too large for a Duration or for milliseconds are config errors, not crashes. */
  @Test
  void hugeDurationsAreErrorsNotCrashes() {
    for (String bad : new String[] {"99999999999999999999s", "9223372036854775807d",
        "9223372036854775807s", "9223372036854775807m"}) {
      assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
    }
    List<ConfigError> errors = errors("server: {timeouts: {header: 9223372036854775807s}}\n");
    assertEquals(List.of("server.timeouts.header"), paths(errors));
  }

  /** The listener takes the idle timeout as int milliseconds; more must be a config error. */
  @Test
  void idleTimeoutAboveWhatTheListenerTakesIsAnError() throws Exception {
    List<ConfigError> errors = errors("server: {timeouts: {idle: 30d}}\n");
    assertEquals(List.of("server.timeouts.idle"), paths(errors));
    assertTrue(errors.get(0).message().contains("<= 24d"), errors.get(0).message());
    assertEquals(Duration.ofDays(24), parse("server: {timeouts: {idle: 24d}}\n").server().timeouts().idle());
  }

  // ------------------------------------------------------------------ errors

  @Test
  void unknownKeyHasExactPathAndListsExpectedKeys() {
    List<ConfigError> errors = errors("""
        services:
          s: {endpoints: [{url: "http://127.0.0.1:1"}]}
        routes:
          - {id: a, match: {path: /a}, service: s}
          - id: b
            match:
              pathh: /b
            service: s
        """);
    assertEquals(List.of("routes[1].match.pathh", "routes[1].match.path"), paths(errors));
    ConfigError unknown = errors.get(0);
    assertTrue(unknown.message().contains("unknown key"), unknown.message());
    assertTrue(unknown.message().contains("path, methods, host, headers"), unknown.message());
    assertEquals(7, unknown.line());
    assertTrue(unknown.toString().startsWith("routes[1].match.pathh: "), unknown.toString());
    assertTrue(unknown.toString().endsWith("(line 7)"), unknown.toString());
  }

  @Test
  void unknownTopLevelKeyListsTopLevelKeys() {
    List<ConfigError> errors = errors("serverr: {port: 1}\n");
    assertEquals(List.of("serverr"), paths(errors));
    assertTrue(errors.get(0).message().contains("server, admin, services, routes"), errors.get(0).message());
  }

  @Test
  void everyErrorInOneFileIsReported() {
    List<ConfigError> errors = errors("""
        server:
          port: abc
          limits: {maxBodyBytes: lots}
          timeoutz: {header: 1s}
        admin: {port: 70000}
        services:
          s:
            endpoints: [{url: "ftp://127.0.0.1:1"}]
            timeouts: {connect: 5}
        routes:
          - id: a
            match: {path: /a, verbs: [GET]}
            service: nope
            maxBodyBytes: lots
          - id: a
            match: {path: /b}
            service: s
        """);
    assertEquals(List.of(
        "server.port",
        "server.limits.maxBodyBytes",
        "server.timeoutz",
        "services.s.timeouts.connect",
        "routes[0].match.verbs",
        "routes[0].maxBodyBytes",
        "admin.port",
        "services.s.endpoints[0].url",
        "routes[0].service",
        "routes[1].id"), paths(errors), errors.toString());
    assertEquals(10, errors.size());
  }

  @Test
  void wrongTypesNameTheirPathAndWhatWasExpected() {
    List<ConfigError> errors = errors("""
        server: {port: abc}
        services:
          s:
            endpoints: [{url: "http://127.0.0.1:1"}]
            timeouts: {connect: 5}
        routes:
          - {id: r, match: {path: /x}, service: s, maxBodyBytes: lots, preserveHost: yes}
        """);
    assertEquals(List.of("server.port", "services.s.timeouts.connect", "routes[0].maxBodyBytes",
        "routes[0].preserveHost"), paths(errors));
    assertTrue(errors.get(0).message().contains("\"abc\"") && errors.get(0).message().contains("integer"),
        errors.get(0).message());
    assertEquals(1, errors.get(0).line());
    assertTrue(errors.get(1).message().contains("duration"), errors.get(1).message());
    assertEquals(5, errors.get(1).line());
    assertTrue(errors.get(2).message().contains("size"), errors.get(2).message());
    assertTrue(errors.get(3).message().contains("true or false"), errors.get(3).message());
  }

  @Test
  void structureMismatchesAreErrors() {
    List<ConfigError> errors = errors("""
        server: 8080
        services:
          s:
            endpoints: {url: "http://127.0.0.1:1"}
        routes:
          - id: r
            match: {path: [/x], methods: GET}
            service: s
        """);
    // Each key once, with its real problem: no second "missing" for a key that failed to bind.
    assertEquals(List.of("server", "services.s.endpoints", "routes[0].match.path", "routes[0].match.methods"),
        paths(errors), errors.toString());
    assertTrue(errors.get(0).message().contains("expected a mapping"), errors.get(0).message());
    assertTrue(errors.get(1).message().contains("expected a list"), errors.get(1).message());
  }

  /** An entry that fails to bind must not shift the indexes in the paths of later errors. */
  @Test
  void failedEntriesKeepTheIndexesOfLaterOnes() {
    List<ConfigError> errors = errors("""
        services:
          broken: 5
          s:
            endpoints:
              - "http://127.0.0.1:1"
              -
              - {url: "ftp://x:1"}
        routes:
          - just a string
          -
          - {id: r, match: {path: /x, methods: [null, get]}, service: nope}
          - {id: b, match: {path: /b}, service: broken}
        """);
    assertEquals(List.of(
        "services.broken",
        "services.s.endpoints[0]",
        "services.s.endpoints[1]",
        "routes[0]",
        "routes[1]",
        "routes[2].match.methods[0]",
        "services.s.endpoints[2].url",
        "routes[2].match.methods[1]",
        "routes[2].service"), paths(errors), errors.toString());
  }

  @Test
  void routeReferencingMissingServiceListsKnownServices() {
    List<ConfigError> errors = errors("""
        services:
          patients: {endpoints: [{url: "http://127.0.0.1:1"}]}
        routes:
          - {id: r, match: {path: /x}, service: patiens}
        """);
    assertEquals(List.of("routes[0].service"), paths(errors));
    assertTrue(errors.get(0).message().contains("patiens") && errors.get(0).message().contains("[patients]"),
        errors.get(0).message());
  }

  @Test
  void missingRequiredKeys() {
    List<ConfigError> errors = errors("""
        services:
          s: {}
        routes:
          - {match: {path: /x}}
          - {id: r}
        """);
    assertEquals(List.of("services.s.endpoints", "routes[0].id", "routes[0].service", "routes[1].match",
        "routes[1].service"), paths(errors), errors.toString());
  }

  @Test
  void duplicateRouteIdAndDuplicateKeys() {
    List<ConfigError> errors = errors("""
        services:
          s: {endpoints: [{url: "http://127.0.0.1:1"}]}
        routes:
          - {id: r, match: {path: /x}, service: s}
          - {id: r, match: {path: /y}, service: s, service: s}
        """);
    assertEquals(List.of("routes[1].service", "routes[1].id"), paths(errors), errors.toString());
    assertTrue(errors.get(0).message().contains("duplicate key"));
    assertTrue(errors.get(1).message().contains("already used"));
  }

  @Test
  void badEndpointUrls() {
    List<ConfigError> errors = errors("""
        services:
          s:
            endpoints:
              - url: "ftp://127.0.0.1:1"
              - url: "http://127.0.0.1:1/path"
              - url: "http://user@127.0.0.1:1"
              - url: "http://127.0.0.1:1?x=1"
              - url: "not a url"
              - url: "http://127.0.0.1:99999"
              - url: "127.0.0.1:9001"
              - weight: 1
              - url: "http://127.0.0.1:1"
                weight: -1
              - url: "http://[::1]:9001"
              - url: "http://127.0.0.1:9001/"
        """);
    assertEquals(List.of(
        "services.s.endpoints[0].url",
        "services.s.endpoints[1].url",
        "services.s.endpoints[2].url",
        "services.s.endpoints[3].url",
        "services.s.endpoints[4].url",
        "services.s.endpoints[5].url",
        "services.s.endpoints[6].url",
        "services.s.endpoints[7].url",
        "services.s.endpoints[8].weight"), paths(errors), errors.toString());
  }

  @Test
  void endpointThatIsTheGatewaysOwnListenerIsAnError() {
    List<ConfigError> errors = errors("""
        server: {host: 0.0.0.0, port: 8080}
        services:
          s:
            endpoints:
              - url: "http://127.0.0.1:8080"
              - url: "http://localhost:8080"
              - url: "http://[::1]:8080"
              - url: "http://127.0.0.1:8081"
              - url: "https://127.0.0.1:8080"
              - url: "http://10.1.2.3:8080"
          v:
            versions:
              blue: {weight: 1, endpoints: [{url: "http://127.0.0.9:8080"}]}
        """);
    assertEquals(List.of(
        "services.s.endpoints[0].url",
        "services.s.endpoints[1].url",
        "services.s.endpoints[2].url",
        "services.v.versions.blue.endpoints[0].url"), paths(errors), errors.toString());
    assertTrue(errors.get(0).toString().contains("this gateway's own listener"), errors.get(0).toString());
  }

  @Test
  void endpointBesideTheListenerIsNoLoop() throws Exception {
    // Bound to 127.0.0.1 only, the gateway does not answer on 127.0.0.2.
    parse("""
        server: {host: 127.0.0.1, port: 8080}
        services:
          s: {endpoints: [{url: "http://127.0.0.2:8080"}, {url: "http://127.0.0.1:80"}]}
        """);
    assertEquals(List.of("services.s.endpoints[0].url"), paths(errors("""
        server: {host: 127.0.0.1, port: 8080}
        services:
          s: {endpoints: [{url: "http://localhost:8080"}]}
        """)));
  }

  @Test
  void semanticRangeChecks() {
    List<ConfigError> errors = errors("""
        server:
          port: -1
          limits: {maxHeaderBytes: 100B, maxUriBytes: 1KiB}
          timeouts: {header: 0}
        services:
          bad/name: {endpoints: [{url: "http://127.0.0.1:1"}]}
          s: {endpoints: [{url: "http://127.0.0.1:1"}], timeouts: {connect: 0, response: 0}}
        routes:
          - id: "-r"
            match: {path: /x, methods: [get], host: "exa mple.org", headers: {"X Y": z}}
            service: s
            stripPrefix: /x/
        """);
    assertEquals(List.of(
        "server.port",
        "server.limits.maxHeaderBytes",
        "server.timeouts.header",
        "server.limits.maxUriBytes",
        "services.bad/name",
        "services.s.timeouts.connect",
        "services.s.timeouts.response",
        "routes[0].id",
        "routes[0].match.methods[0]",
        "routes[0].match.host",
        "routes[0].match.headers.X Y",
        "routes[0].stripPrefix"), paths(errors), errors.toString());
  }

  @Test
  void resilienceSettingsAreCheckedWithTheirPaths() {
    List<ConfigError> errors = errors("""
        services:
          s:
            endpoints: [{url: "http://127.0.0.1:1"}, {url: "http://127.0.0.1:1"}]
            loadBalancer: {policy: consistent-hash}
            healthCheck: {path: health, interval: 1ms, unhealthyThreshold: 0, expectStatus: "600"}
            outlierDetection: {baseEjectionTime: 10s, maxEjectionTime: 1s, maxEjectionPercent: 101}
            circuitBreaker: {failureRateThreshold: 0, window: 1500ms, halfOpenCalls: 0}
            retryBudget: {percent: -1}
          v:
            endpoints: [{url: "http://127.0.0.1:2"}]
            versions:
              stable: {weight: 0, endpoints: [{url: "http://127.0.0.1:3"}]}
              canary: {weight: 0, endpoints: []}
            primary: blue
            rollback: {errorRate: 0, window: 0s}
        routes:
          - id: r
            match: {path: /x}
            service: s
            timeouts: {total: 0s}
            retries: {attempts: 0, on: [connect-failure, 404, teapot], methods: [get], backoff: 1s, maxBackoff: 10ms}
        """);
    assertEquals(List.of(
        "services.s.endpoints[1].url",
        "services.s.loadBalancer.hashHeader",
        "services.s.healthCheck.path",
        "services.s.healthCheck.interval",
        "services.s.healthCheck.unhealthyThreshold",
        "services.s.healthCheck.expectStatus",
        "services.s.outlierDetection.maxEjectionTime",
        "services.s.outlierDetection.maxEjectionPercent",
        "services.s.circuitBreaker.failureRateThreshold",
        "services.s.circuitBreaker.window",
        "services.s.circuitBreaker.halfOpenCalls",
        "services.s.retryBudget.percent",
        "services.v.endpoints",
        "services.v.versions.canary.endpoints",
        "services.v.versions",
        "services.v.primary",
        "services.v.rollback.errorRate",
        "services.v.rollback.window",
        "routes[0].timeouts.total",
        "routes[0].retries.attempts",
        "routes[0].retries.on[1]",
        "routes[0].retries.on[2]",
        "routes[0].retries.methods[0]",
        "routes[0].retries.maxBackoff"), paths(errors), errors.toString());
  }

  @Test
  void versionsCompileAndDefaultsApply() throws Exception {
    GatewayConfig c = parse("""
        services:
          patients:
            versions:
              stable: {weight: 90, endpoints: [{url: "http://127.0.0.1:1"}]}
              canary: {weight: 10, endpoints: [{url: "http://127.0.0.1:2"}]}
            versionHeader: X-Canary
        routes:
          - {id: r, match: {path: /x}, service: patients}
        """);
    ServiceConfig p = c.services().get("patients");
    assertEquals("stable", p.effectivePrimary());
    assertEquals(50, p.circuitBreaker().failureRateThreshold());
    assertEquals(java.time.Duration.ofSeconds(10), p.circuitBreaker().window());
    assertEquals(20, p.circuitBreaker().minimumCalls());
    assertEquals(2, c.routes().get(0).retries().attempts());
    var svc = Snapshot.compile(c).services().get("patients");
    assertEquals(2, svc.versions().length);
    assertEquals(90, svc.versions()[0].weight());
    assertTrue(svc.versions()[0].primary());
  }

  // ------------------------------------------------------------------ environment

  @Test
  void environmentVariablesAreSubstituted() throws Exception {
    Map<String, String> env = Map.of("PORT", "9090", "BACKEND", "10.1.2.3", "EMPTY", "");
    GatewayConfig c = new ConfigLoader(env::get).parse("""
        server: {port: "${PORT}", host: "${HOST:-127.0.0.2}"}
        admin: {port: "${ADMIN_PORT:-9999}", host: "${EMPTY:-127.0.0.3}"}
        services:
          s: {endpoints: [{url: "http://${BACKEND}:${BACKEND_PORT:-81}"}]}
        routes:
          - {id: r, match: {path: /x, headers: {X-Cost: "$$5 ${PORT}"}}, service: s}
        """, "test.yaml");
    assertEquals(9090, c.server().port());
    assertEquals("127.0.0.2", c.server().host(), "default when unset");
    assertEquals(9999, c.admin().port());
    assertEquals("127.0.0.3", c.admin().host(), ":- also applies to an empty value");
    assertEquals("http://10.1.2.3:81", c.services().get("s").endpoints().get(0).url());
    assertEquals("$5 9090", c.routes().get(0).match().headers().get("X-Cost"), "$$ is a literal $");
  }

  @Test
  void unsetVariableWithoutDefaultIsAnErrorWithPath() {
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(NO_ENV).parse("""
        server:
          port: ${GATEWAY_PORT}
        services:
          s: {endpoints: [{url: "http://${UPSTREAM_HOST}:1"}]}
        """, "test.yaml"));
    assertEquals(List.of("server.port", "services.s.endpoints[0].url"), paths(e.errors()),
        e.errors().toString());
    assertTrue(e.errors().get(0).message().contains("GATEWAY_PORT"), e.errors().get(0).message());
    assertEquals(2, e.errors().get(0).line());
    assertTrue(e.errors().get(1).message().contains("UPSTREAM_HOST"), e.errors().get(1).message());
  }

  @Test
  void badVariableSyntaxIsAnError() {
    List<ConfigError> errors = errors("server: {host: \"${BAD-NAME}\", port: \"${UNTERMINATED\"}\n");
    assertEquals(List.of("server.host", "server.port"), paths(errors));
  }

  @Test
  void variableValueCannotInjectYamlStructure() throws Exception {
    Map<String, String> env = Map.of(
        "HOST", "127.0.0.1\nadmin: {port: 1}\nroutes: []",
        "PORT", "8080}, admin: {port: 1",
        "NESTED", "${HOST}");
    GatewayConfig c = new ConfigLoader(env::get).parse("""
        server: {host: "${HOST}"}
        admin: {host: "${NESTED}"}
        """, "test.yaml");
    assertEquals("127.0.0.1\nadmin: {port: 1}\nroutes: []", c.server().host(), "one scalar, verbatim");
    assertEquals(9901, c.admin().port(), "the injected admin.port did not become a key");
    assertEquals("${HOST}", c.admin().host(), "a value is not substituted again");
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ConfigLoader(env::get).parse("server: {port: \"${PORT}\"}\n", "test.yaml"));
    assertEquals(List.of("server.port"), paths(e.errors()));
  }

  // ------------------------------------------------------------------ YAML level

  @Test
  void invalidYamlReportsItsLine() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("""
        server:
          port: 8080
        routes:
          - id: a
           match: {path: /x}
        """));
    assertEquals(1, e.errors().size());
    assertTrue(e.errors().get(0).message().startsWith("invalid YAML"), e.errors().get(0).message());
    assertEquals(5, e.errors().get(0).line(), e.errors().toString());
  }

  @Test
  void unclosedFlowMappingReportsALine() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("server: {port: 1\nadmin: {}\n"));
    assertEquals(1, e.errors().size());
    assertTrue(e.errors().get(0).line() > 0, e.errors().toString());
  }

  @Test
  void emptyFileIsAnError() {
    for (String empty : new String[] {"", "\n\n", "# only a comment\n", "---\n", "null\n"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> parse(empty), empty);
      assertEquals(1, e.errors().size());
      assertTrue(e.errors().get(0).message().contains("empty"), e.errors().get(0).message());
    }
  }

  @Test
  void nonMappingRootIsAnError() {
    List<ConfigError> errors = errors("- a\n- b\n");
    assertEquals(List.of(""), paths(errors));
    assertTrue(errors.get(0).toString().startsWith("(root): expected a mapping"), errors.get(0).toString());
  }

  @Test
  void aliasBombIsRejected() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }
    ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml.toString()));
    assertEquals(1, e.errors().size(), e.errors().toString());
  }

  @Test
  void loadReadsAFileAndReportsAMissingOne(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("g.yaml");
    Files.writeString(f, FULL);
    assertEquals(8443, new ConfigLoader(NO_ENV).load(f).server().port());
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ConfigLoader(NO_ENV).load(dir.resolve("missing.yaml")));
    assertTrue(e.errors().get(0).message().contains("cannot read"), e.errors().toString());
  }

  // ------------------------------------------------------------------ path patterns

  @Test
  void snapshotCompileReportsBadPathPatternsWithTheirPath() throws Exception {
    // Built by hand, as Snapshot.compile may get it without ConfigLoader's checks.
    Map<String, ServiceConfig> services = Map.of("s",
        ServiceConfig.of(List.of(new EndpointConfig("http://127.0.0.1:1", null)), null));
    List<RouteConfig> routes = new java.util.ArrayList<>();
    String[] patterns = {"/ok", "relative", "/a/**/b", "/a/x{id}", "/a//b", "/a/../b", "/a?x", "/{1d}"};
    for (int i = 0; i < patterns.length; i++) {
      routes.add(new RouteConfig("r" + i, new MatchConfig(patterns[i], null, null, null), "s", null, null, null));
    }
    GatewayConfig c = new GatewayConfig(null, null, services, routes);
    ConfigException e = assertThrows(ConfigException.class, () -> Snapshot.compile(c));
    assertEquals(List.of("routes[1].match.path", "routes[2].match.path", "routes[3].match.path",
        "routes[4].match.path", "routes[5].match.path", "routes[6].match.path", "routes[7].match.path"),
        paths(e.errors()));
    assertTrue(e.errors().get(0).message().contains("\"relative\"")
        && e.errors().get(0).message().contains("must start with /"), e.errors().get(0).message());
  }

  /** A bad path pattern is reported together with the file's other errors, not after they are fixed. */
  @Test
  void badPathPatternIsReportedWithOtherErrors() {
    List<ConfigError> errors = errors("""
        services:
          s: {endpoints: [{url: "http://127.0.0.1:1"}]}
        routes:
          - {id: a, match: {path: "/a//b"}, service: s}
          - {id: b, match: {path: /b}, service: nope}
        """);
    assertEquals(List.of("routes[0].match.path", "routes[1].service"), paths(errors), errors.toString());
  }

  // ------------------------------------------------------------------ helpers

  private static GatewayConfig parse(String yaml) throws ConfigException {
    return new ConfigLoader(NO_ENV).parse(yaml, "test.yaml");
  }

  private static List<ConfigError> errors(String yaml) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
    assertTrue(!e.errors().isEmpty());
    return e.errors();
  }

  private static List<String> paths(List<ConfigError> errors) {
    return errors.stream().map(ConfigError::path).toList();
  }
}
