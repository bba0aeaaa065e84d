package dev.citizen.gateway.config;

import dev.citizen.gateway.route.PathPattern;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what types alone cannot: ranges, required keys, references between sections, URL
 * shapes and path patterns (compiled here only to be checked; {@code Snapshot} compiles them for
 * use).
 *
 * <p>A null list entry or map value is one that failed to bind (the binder has reported it); it
 * is skipped, and kept only so that the indexes in the paths here are those of the file.
 */
public final class ConfigValidator {
  private static final Duration MAX_IDLE = Duration.ofDays(24);
  private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

  private ConfigValidator() {}

  public static List<ConfigError> validate(GatewayConfig c) {
    List<ConfigError> errors = new ArrayList<>();
    port(errors, "server.port", c.server().port());
    port(errors, "admin.port", c.admin().port());
    c.admin().validate(errors, "admin");
    positive(errors, "server.limits.maxHeaderBytes", c.server().limits().maxHeaderBytes().bytes(), 256);
    positive(errors, "server.limits.maxUriBytes", c.server().limits().maxUriBytes().bytes(), 16);
    positive(errors, "server.timeouts.header", c.server().timeouts().header().toMillis(), 1);
    nonNegative(errors, "server.timeouts.idle", c.server().timeouts().idle());
    nonNegative(errors, "server.drain.delay", c.server().drain().delay());
    nonNegative(errors, "server.drain.timeout", c.server().drain().timeout());
    // The listener takes the idle timeout as int milliseconds: above ~24.8 days it overflowed to a
    // negative number and the gateway failed to start with "idleTimeout must be >= 0".
    if (c.server().timeouts().idle().compareTo(MAX_IDLE) > 0) {
      errors.add(new ConfigError("server.timeouts.idle", Durations.format(c.server().timeouts().idle())
          + " (expected: <= 24d)"));
    }
    if (c.server().limits().maxUriBytes().bytes() > c.server().limits().maxHeaderBytes().bytes()) {
      errors.add(new ConfigError("server.limits.maxUriBytes", c.server().limits().maxUriBytes()
          + " (expected: <= server.limits.maxHeaderBytes, " + c.server().limits().maxHeaderBytes() + ")"));
    }
    TlsConfigValidator.server(errors, "server.tls", c.server());
    for (Map.Entry<String, ServiceConfig> e : c.services().entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      service(errors, "services." + e.getKey(), e.getKey(), e.getValue());
      TlsConfigValidator.service(errors, "services." + e.getKey() + ".tls", e.getValue());
      ownListener(errors, "services." + e.getKey() + ".endpoints", e.getValue().endpoints(), c.server());
      for (Map.Entry<String, VersionConfig> v : e.getValue().versions().entrySet()) {
        if (v.getValue() != null) {
          ownListener(errors, "services." + e.getKey() + ".versions." + v.getKey() + ".endpoints",
              v.getValue().endpoints(), c.server());
        }
      }
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < c.routes().size(); i++) {
      if (c.routes().get(i) == null) {
        continue;
      }
      route(errors, "routes[" + i + "]", c.routes().get(i), c.services(), ids);
    }
    accessLog(errors, "observability.accessLog", c.observability().accessLog()); // logs part
    tracing(errors, "observability.tracing", c.observability().tracing()); // tracing
    c.security().validate(errors, "security");
    c.waf().validate(errors, "waf");
    return errors;
  }

  private static void service(List<ConfigError> errors, String path, String name, ServiceConfig s) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      errors.add(new ConfigError(path, "service name \"" + name + "\" (expected: letters, digits, . _ -)"));
    }
    if (!s.versions().isEmpty()) {
      if (!s.endpoints().isEmpty()) {
        errors.add(new ConfigError(path + ".endpoints", "set together with versions (expected: one of the two)"));
      }
      int total = 0;
      for (Map.Entry<String, VersionConfig> v : s.versions().entrySet()) {
        String vp = path + ".versions." + v.getKey();
        if (v.getValue() == null) {
          continue;
        }
        if (!v.getKey().matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
          errors.add(new ConfigError(vp, "version name \"" + v.getKey() + "\" (expected: letters, digits, . _ -)"));
        }
        if (v.getValue().weight() < 0 || v.getValue().weight() > 1000) {
          errors.add(new ConfigError(vp + ".weight", v.getValue().weight() + " (expected: 0..1000)"));
        }
        total += Math.max(0, v.getValue().weight());
        endpoints(errors, vp + ".endpoints", v.getValue().endpoints());
      }
      if (total == 0) {
        errors.add(new ConfigError(path + ".versions", "every weight is 0 (expected: at least one version with a weight)"));
      }
      if (s.primary() != null && !s.versions().containsKey(s.primary())) {
        errors.add(new ConfigError(path + ".primary", "\"" + s.primary() + "\" (expected: one of "
            + s.versions().keySet() + ")"));
      }
    } else {
      if (s.primary() != null) {
        errors.add(new ConfigError(path + ".primary", "set without versions (expected: versions with this name)"));
      }
      endpoints(errors, path + ".endpoints", s.endpoints());
    }
    if (s.versionHeader() != null && !s.versionHeader().matches(TOKEN)) {
      errors.add(new ConfigError(path + ".versionHeader", "\"" + s.versionHeader() + "\" (expected: a header name)"));
    }
    RollbackConfig rb = s.rollback();
    range(errors, path + ".rollback.errorRate", rb.errorRate(), 1, 100);
    wholeSeconds(errors, path + ".rollback.window", rb.window());
    range(errors, path + ".rollback.minimumCalls", rb.minimumCalls(), 1, 1_000_000);
    LoadBalancerConfig lb = s.loadBalancer();
    if (lb.policy() == LoadBalancerConfig.Policy.CONSISTENT_HASH && lb.hashHeader() == null && lb.hashCookie() == null) {
      errors.add(new ConfigError(path + ".loadBalancer.hashHeader", "missing (expected: hashHeader or hashCookie "
          + "for policy consistent-hash)"));
    }
    if (lb.hashHeader() != null && !lb.hashHeader().matches(TOKEN)) {
      errors.add(new ConfigError(path + ".loadBalancer.hashHeader", "\"" + lb.hashHeader() + "\" (expected: a header name)"));
    }
    if (lb.hashCookie() != null && !lb.hashCookie().matches(TOKEN)) {
      errors.add(new ConfigError(path + ".loadBalancer.hashCookie", "\"" + lb.hashCookie() + "\" (expected: a cookie name)"));
    }
    positive(errors, path + ".timeouts.connect", s.timeouts().connect().toMillis(), 1);
    positive(errors, path + ".timeouts.response", s.timeouts().response().toMillis(), 1);
    HealthCheckConfig hc = s.healthCheck();
    if (hc != null) {
      String hp = path + ".healthCheck";
      if (!hc.path().startsWith("/")) {
        errors.add(new ConfigError(hp + ".path", "\"" + hc.path() + "\" (expected: a path starting with /)"));
      }
      positive(errors, hp + ".interval", hc.interval().toMillis(), 10);
      positive(errors, hp + ".timeout", hc.timeout().toMillis(), 1);
      range(errors, hp + ".healthyThreshold", hc.healthyThreshold(), 1, 100);
      range(errors, hp + ".unhealthyThreshold", hc.unhealthyThreshold(), 1, 100);
      if (hc.expectLow() < 100 || hc.expectHigh() > 599 || hc.expectLow() > hc.expectHigh()) {
        errors.add(new ConfigError(hp + ".expectStatus", "\"" + hc.expectStatus()
            + "\" (expected: a status such as 200, or a range such as 200-399)"));
      }
    }
    OutlierDetectionConfig od = s.outlierDetection();
    range(errors, path + ".outlierDetection.consecutiveFailures", od.consecutiveFailures(), 1, 10_000);
    positive(errors, path + ".outlierDetection.baseEjectionTime", od.baseEjectionTime().toMillis(), 1);
    if (od.maxEjectionTime().compareTo(od.baseEjectionTime()) < 0) {
      errors.add(new ConfigError(path + ".outlierDetection.maxEjectionTime", Durations.format(od.maxEjectionTime())
          + " (expected: >= baseEjectionTime, " + Durations.format(od.baseEjectionTime()) + ")"));
    }
    range(errors, path + ".outlierDetection.maxEjectionPercent", od.maxEjectionPercent(), 0, 100);
    CircuitBreakerConfig cb = s.circuitBreaker();
    String cp = path + ".circuitBreaker";
    range(errors, cp + ".failureRateThreshold", cb.failureRateThreshold(), 1, 100);
    wholeSeconds(errors, cp + ".window", cb.window());
    range(errors, cp + ".minimumCalls", cb.minimumCalls(), 1, 1_000_000);
    positive(errors, cp + ".slowCallThreshold", cb.slowCallThreshold().toMillis(), 1);
    positive(errors, cp + ".openFor", cb.openFor().toMillis(), 1);
    range(errors, cp + ".halfOpenCalls", cb.halfOpenCalls(), 1, 10_000);
    range(errors, path + ".retryBudget.percent", s.retryBudget().percent(), 0, 1000);
    range(errors, path + ".retryBudget.minPerSecond", s.retryBudget().minPerSecond(), 0, 1_000_000);
  }

  private static void endpoints(List<ConfigError> errors, String path, List<EndpointConfig> endpoints) {
    if (endpoints.isEmpty()) {
      errors.add(new ConfigError(path, "missing (expected: at least one endpoint)"));
    }
    Set<String> urls = new HashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      EndpointConfig ep = endpoints.get(i);
      String p = path + "[" + i + "]";
      if (ep == null) {
        continue;
      }
      if (ep.url() == null) {
        errors.add(new ConfigError(p + ".url", "missing (expected: http://host:port)"));
      } else {
        String problem = endpointUrlProblem(ep.url());
        if (problem != null) {
          errors.add(new ConfigError(p + ".url", "\"" + ep.url() + "\" (expected: " + problem + ")"));
        } else if (!urls.add(ep.url())) {
          errors.add(new ConfigError(p + ".url", "\"" + ep.url() + "\" (expected: unique, already listed)"));
        }
      }
      if (ep.weight() < 0 || ep.weight() > 1000) {
        errors.add(new ConfigError(p + ".weight", ep.weight() + " (expected: 0..1000)"));
      }
    }
  }

  /**
   * An endpoint that is this gateway's own public listener: every request to the service would
   * come straight back (at run time the Via check answers 508; this says so before it starts).
   * Only what the config alone proves: the listener's port and scheme, and a host the listener
   * answers on (its own host, or a loopback address when it listens on all of them). Loops
   * through a load balancer or another gateway are left to the Via check.
   */
  private static void ownListener(List<ConfigError> errors, String path, List<EndpointConfig> endpoints,
      ServerConfig server) {
    if (server.port() == 0) {
      return;
    }
    String scheme = server.tls() != null ? "https" : "http";
    for (int i = 0; i < endpoints.size(); i++) {
      EndpointConfig ep = endpoints.get(i);
      if (ep == null || ep.url() == null || endpointUrlProblem(ep.url()) != null) {
        continue;
      }
      URI u = URI.create(ep.url());
      int port = u.getPort() >= 0 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
      if (u.getScheme().equals(scheme) && port == server.port() && listensOn(server.host(), u.getHost())) {
        errors.add(new ConfigError(path + "[" + i + "].url", "\"" + ep.url()
            + "\" is this gateway's own listener (server.port " + server.port()
            + "): every request would come back to it (expected: the service's own address)"));
      }
    }
  }

  /** Whether a listener bound to {@code listenHost} answers connections to {@code host}. */
  private static boolean listensOn(String listenHost, String host) {
    String h = loopbackName(host);
    String l = loopbackName(listenHost);
    if (l.equals("0.0.0.0") || l.equals("::") || l.equals("[::]")) {
      return h.startsWith("127.") || h.equals("[::1]");
    }
    return l.equalsIgnoreCase(h);
  }

  private static String loopbackName(String host) {
    return host.equalsIgnoreCase("localhost") ? "127.0.0.1" : host.equals("::1") ? "[::1]" : host;
  }

  private static void retries(List<ConfigError> errors, String path, RetryConfig r) {
    range(errors, path + ".attempts", r.attempts(), 1, 10);
    for (int i = 0; i < r.on().size(); i++) {
      String on = r.on().get(i);
      if (on != null && !on.equals("connect-failure") && !on.equals("reset") && !on.matches("5[0-9][0-9]")) {
        errors.add(new ConfigError(path + ".on[" + i + "]", "\"" + on
            + "\" (expected: connect-failure, reset or a 5xx status such as 503)"));
      }
    }
    for (int i = 0; i < r.methods().size(); i++) {
      String m = r.methods().get(i);
      if (m != null && !m.matches("[A-Z][A-Z-]*")) {
        errors.add(new ConfigError(path + ".methods[" + i + "]", "\"" + m
            + "\" (expected: an upper-case method such as GET)"));
      }
    }
    positive(errors, path + ".backoff", r.backoff().toMillis(), 1);
    if (r.maxBackoff().compareTo(r.backoff()) < 0) {
      errors.add(new ConfigError(path + ".maxBackoff", Durations.format(r.maxBackoff())
          + " (expected: >= backoff, " + Durations.format(r.backoff()) + ")"));
    }
  }

  private static void range(List<ConfigError> errors, String path, int value, int min, int max) {
    if (value < min || value > max) {
      errors.add(new ConfigError(path, value + " (expected: " + min + ".." + max + ")"));
    }
  }

  /** resilience4j windows count whole seconds. */
  private static void wholeSeconds(List<ConfigError> errors, String path, Duration d) {
    if (d.toMillis() < 1000 || d.toMillis() % 1000 != 0) {
      errors.add(new ConfigError(path, Durations.format(d) + " (expected: whole seconds, at least 1s)"));
    }
  }

  /** Null when the URL is a usable endpoint, else what was expected. */
  static String endpointUrlProblem(String url) {
    try {
      URI u = new URI(url);
      if (!"http".equals(u.getScheme()) && !TlsConfigValidator.isHttps(u)) {
        return "an http:// or https:// URL";
      }
      if (u.getHost() == null || u.getPort() > 65535) {
        return u.getScheme() + "://host:port";
      }
      if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null
          || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))) {
        return u.getScheme() + "://host:port with no path, query or user info";
      }
      return null;
    } catch (URISyntaxException e) {
      return "a valid URL such as http://127.0.0.1:9001 or https://patients.internal:8443";
    }
  }

  private static void route(List<ConfigError> errors, String path, RouteConfig r,
      Map<String, ServiceConfig> services, Set<String> ids) {
    if (r.id() == null || r.id().isBlank()) {
      errors.add(new ConfigError(path + ".id", "missing (expected: a unique route id)"));
    } else if (!ids.add(r.id())) {
      errors.add(new ConfigError(path + ".id", "\"" + r.id() + "\" (expected: unique, already used)"));
    } else if (!r.id().matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      errors.add(new ConfigError(path + ".id", "\"" + r.id() + "\" (expected: letters, digits, . _ -)"));
    }
    if (r.match() == null) {
      errors.add(new ConfigError(path + ".match", "missing (expected: a mapping with at least path)"));
    } else {
      if (r.match().path() == null) {
        errors.add(new ConfigError(path + ".match.path", "missing (expected: a path such as /api/**)"));
      } else {
        // Checked here too, not only in Snapshot.compile: that runs only on a config without
        // errors, so a bad pattern was reported only after every other error had been fixed.
        try {
          PathPattern.compile(r.match().path());
        } catch (IllegalArgumentException e) {
          errors.add(new ConfigError(path + ".match.path", "\"" + r.match().path() + "\" ("
              + e.getMessage() + ")"));
        }
      }
      for (int i = 0; i < r.match().methods().size(); i++) {
        String m = r.match().methods().get(i);
        if (m != null && !m.matches("[A-Z][A-Z-]*")) {
          errors.add(new ConfigError(path + ".match.methods[" + i + "]", "\"" + m
              + "\" (expected: an upper-case method such as GET)"));
        }
      }
      if (r.match().host() != null && !r.match().host().matches("(\\*\\.)?[A-Za-z0-9.-]+")) {
        errors.add(new ConfigError(path + ".match.host", "\"" + r.match().host()
            + "\" (expected: a host name, optionally starting with *.)"));
      }
      for (String h : r.match().headers().keySet()) {
        if (!h.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
          errors.add(new ConfigError(path + ".match.headers." + h, "(expected: a valid header name)"));
        }
      }
    }
    if (r.service() == null) {
      errors.add(new ConfigError(path + ".service", "missing (expected: one of " + services.keySet() + ")"));
    } else if (!services.containsKey(r.service())) {
      errors.add(new ConfigError(path + ".service", "\"" + r.service() + "\" (expected: one of "
          + services.keySet() + ")"));
    }
    RouteTimeoutsConfig t = r.timeouts();
    if (t.connect() != null) {
      positive(errors, path + ".timeouts.connect", t.connect().toMillis(), 1);
    }
    if (t.response() != null) {
      positive(errors, path + ".timeouts.response", t.response().toMillis(), 1);
    }
    if (t.total() != null) {
      positive(errors, path + ".timeouts.total", t.total().toMillis(), 1);
    }
    retries(errors, path + ".retries", r.retries());
    if (r.auth() != null) {
      r.auth().validate(errors, path + ".auth");
    }
    if (r.rateLimit() != null) {
      r.rateLimit().validate(errors, path + ".rateLimit");
    }
    if (r.cors() != null) {
      r.cors().validate(errors, path + ".cors");
      if (r.match() != null && !r.match().methods().isEmpty() && !r.match().methods().contains("OPTIONS")) {
        // Preflights are OPTIONS requests: without it the router answers them 405 before CORS runs.
        errors.add(new ConfigError(path + ".match.methods", r.match().methods()
            + " (expected: OPTIONS listed too, so that CORS preflights reach the route)"));
      }
    }
    if (r.headers() != null) {
      r.headers().validate(errors, path + ".headers");
    }
    if (r.clients() != null) {
      r.clients().validate(errors, path + ".clients");
    }
    if (r.waf() != null) {
      r.waf().validate(errors, path + ".waf");
    }
    if (r.stripPrefix() != null && (!r.stripPrefix().startsWith("/") || r.stripPrefix().endsWith("/")
        || r.stripPrefix().contains("*") || r.stripPrefix().contains("{"))) {
      errors.add(new ConfigError(path + ".stripPrefix", "\"" + r.stripPrefix()
          + "\" (expected: a literal path prefix such as /api, with no trailing slash)"));
    }
  }

  private static void port(List<ConfigError> errors, String path, int port) {
    if (port < 0 || port > 65535) {
      errors.add(new ConfigError(path, port + " (expected: 0..65535)"));
    }
  }

  private static void positive(List<ConfigError> errors, String path, long value, long min) {
    if (value < min) {
      errors.add(new ConfigError(path, value + " (expected: >= " + min + ")"));
    }
  }

  private static void nonNegative(List<ConfigError> errors, String path, Duration d) {
    if (d.isNegative()) {
      errors.add(new ConfigError(path, "negative (expected: >= 0)"));
    }
  }

  // --- observability.accessLog (logs part) ---

  private static void accessLog(List<ConfigError> errors, String path, AccessLogConfig a) {
    range(errors, path + ".queueSize", a.queueSize(), 1, 1_000_000);
    for (int i = 0; i < a.headers().size(); i++) {
      String h = a.headers().get(i);
      if (h == null) {
        continue;
      }
      if (!h.matches(TOKEN)) {
        errors.add(new ConfigError(path + ".headers[" + i + "]", "\"" + h + "\" (expected: a header name)"));
      } else if (AccessLogConfig.isSecretHeader(h)) {
        errors.add(new ConfigError(path + ".headers[" + i + "]", "\"" + h
            + "\" is never logged (it carries credentials or a session)"));
      }
    }
    if (!a.logQuery() && !a.queryParams().isEmpty()) {
      errors.add(new ConfigError(path + ".queryParams", "set while logQuery is false (expected: logQuery: true)"));
    }
    for (int i = 0; i < a.queryParams().size(); i++) {
      String q = a.queryParams().get(i);
      if (q == null) {
        continue;
      }
      String maskedBy = q.isBlank() ? null : a.maskedBy(q);
      if (q.isBlank()) {
        errors.add(new ConfigError(path + ".queryParams[" + i + "]", "empty (expected: a parameter name)"));
      } else if (maskedBy != null) {
        errors.add(new ConfigError(path + ".queryParams[" + i + "]", "\"" + q + "\" is never logged in clear "
            + "(its name contains the masked name \"" + maskedBy + "\")"));
      }
    }
    for (int i = 0; i < a.maskQueryParams().size(); i++) {
      String m = a.maskQueryParams().get(i);
      if (m != null && AccessLogConfig.normalizeParam(m).isEmpty()) {
        errors.add(new ConfigError(path + ".maskQueryParams[" + i + "]", "\"" + m + "\" (expected: a parameter name)"));
      }
    }
    for (int i = 0; i < a.maskPatterns().size(); i++) {
      String p = a.maskPatterns().get(i);
      if (p == null) {
        continue;
      }
      try {
        if (java.util.regex.Pattern.compile(p).matcher("").matches()) {
          errors.add(new ConfigError(path + ".maskPatterns[" + i + "]", "\"" + p
              + "\" matches the empty string (expected: a pattern of the identifier to mask)"));
        }
      } catch (java.util.regex.PatternSyntaxException e) {
        errors.add(new ConfigError(path + ".maskPatterns[" + i + "]", "\"" + p + "\" (not a regular expression: "
            + e.getDescription() + " at index " + e.getIndex() + ")"));
      }
    }
  }
  // --- tracing (observability.tracing) ---

  private static void tracing(List<ConfigError> errors, String path, TracingConfig t) {
    if (t.endpoint() == null) {
      if (t.enabled()) {
        errors.add(new ConfigError(path + ".endpoint", "missing (expected: the collector's OTLP/HTTP traces URL, "
            + "such as http://127.0.0.1:4318/v1/traces, when enabled)"));
      }
    } else {
      String problem = otlpUrlProblem(t.endpoint());
      if (problem != null) {
        errors.add(new ConfigError(path + ".endpoint", "\"" + t.endpoint() + "\" (expected: " + problem + ")"));
      }
    }
    // Written so that NaN, for which every comparison is false, is an error too.
    if (!(t.samplingRatio() >= 0 && t.samplingRatio() <= 1)) {
      errors.add(new ConfigError(path + ".samplingRatio", t.samplingRatio() + " (expected: 0..1)"));
    }
    if (t.serviceName().isBlank()) {
      errors.add(new ConfigError(path + ".serviceName", "empty (expected: a name such as citizen-gateway)"));
    }
    positive(errors, path + ".timeout", t.timeout().toMillis(), 1);
    positive(errors, path + ".scheduleDelay", t.scheduleDelay().toMillis(), 1);
    for (Map.Entry<String, String> h : t.headers().entrySet()) {
      if (!h.getKey().matches(TOKEN)) {
        errors.add(new ConfigError(path + ".headers." + h.getKey(), "(expected: a valid header name)"));
      } else if (h.getValue() != null && !h.getValue().matches("[\\t\\x20-\\x7e]*")) {
        // The value itself is not echoed: it is usually a credential.
        errors.add(new ConfigError(path + ".headers." + h.getKey(), "(expected: a value of printable ASCII)"));
      }
    }
  }

  /** Null when the URL can take OTLP/HTTP exports, else what was expected. */
  private static String otlpUrlProblem(String url) {
    try {
      URI u = new URI(url);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
        return "an http:// or https:// URL";
      }
      if (u.getHost() == null || u.getPort() > 65535) {
        return "http://host:port/v1/traces";
      }
      if (u.getRawUserInfo() != null) {
        return "no user info; put credentials in headers";
      }
      return null;
    } catch (URISyntaxException e) {
      return "a valid URL such as http://127.0.0.1:4318/v1/traces";
    }
  }
}
