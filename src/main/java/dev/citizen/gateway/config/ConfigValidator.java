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

  private ConfigValidator() {}

  public static List<ConfigError> validate(GatewayConfig c) {
    List<ConfigError> errors = new ArrayList<>();
    port(errors, "server.port", c.server().port());
    port(errors, "admin.port", c.admin().port());
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
    for (Map.Entry<String, ServiceConfig> e : c.services().entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      service(errors, "services." + e.getKey(), e.getKey(), e.getValue());
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < c.routes().size(); i++) {
      if (c.routes().get(i) == null) {
        continue;
      }
      route(errors, "routes[" + i + "]", c.routes().get(i), c.services(), ids);
    }
    return errors;
  }

  private static void service(List<ConfigError> errors, String path, String name, ServiceConfig s) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      errors.add(new ConfigError(path, "service name \"" + name + "\" (expected: letters, digits, . _ -)"));
    }
    if (s.endpoints().isEmpty()) {
      errors.add(new ConfigError(path + ".endpoints", "missing (expected: at least one endpoint)"));
    }
    for (int i = 0; i < s.endpoints().size(); i++) {
      EndpointConfig ep = s.endpoints().get(i);
      String p = path + ".endpoints[" + i + "]";
      if (ep == null) {
        continue;
      }
      if (ep.url() == null) {
        errors.add(new ConfigError(p + ".url", "missing (expected: http://host:port)"));
      } else {
        String problem = endpointUrlProblem(ep.url());
        if (problem != null) {
          errors.add(new ConfigError(p + ".url", "\"" + ep.url() + "\" (expected: " + problem + ")"));
        }
      }
      if (ep.weight() < 0 || ep.weight() > 1000) {
        errors.add(new ConfigError(p + ".weight", ep.weight() + " (expected: 0..1000)"));
      }
    }
    positive(errors, path + ".timeouts.connect", s.timeouts().connect().toMillis(), 1);
    positive(errors, path + ".timeouts.response", s.timeouts().response().toMillis(), 1);
  }

  /** Null when the URL is a usable endpoint, else what was expected. */
  static String endpointUrlProblem(String url) {
    try {
      URI u = new URI(url);
      if (!"http".equals(u.getScheme())) {
        return "an http:// URL";
      }
      if (u.getHost() == null || u.getPort() > 65535) {
        return "http://host:port";
      }
      if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null
          || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))) {
        return "http://host:port with no path, query or user info";
      }
      return null;
    } catch (URISyntaxException e) {
      return "a valid URL such as http://127.0.0.1:9001";
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
}
