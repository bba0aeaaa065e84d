package dev.citizen.gateway.server;

import dev.citizen.gateway.config.ConfigError;
import dev.citizen.gateway.config.ConfigException;
import dev.citizen.gateway.config.GatewayConfig;
import dev.citizen.gateway.config.RouteConfig;
import dev.citizen.gateway.config.ServiceConfig;
import dev.citizen.gateway.route.PathPattern;
import dev.citizen.gateway.route.Route;
import dev.citizen.gateway.route.Router;
import dev.citizen.gateway.tls.TlsFileException;
import dev.citizen.gateway.upstream.CallPolicy;
import dev.citizen.gateway.upstream.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A config compiled for serving: the router with its routes and filters, and the services. Built
 * whole from a validated config, then swapped in with one reference write, so a request sees
 * either the old snapshot or the new one, never a mix.
 */
public final class Snapshot {
  private final GatewayConfig config;
  private final Router router;
  private final Map<String, Service> services;

  private Snapshot(GatewayConfig config, Router router, Map<String, Service> services) {
    this.config = config;
    this.router = router;
    this.services = services;
  }

  /** Compiles a config that passed {@code ConfigValidator}; reports pattern errors with paths. */
  public static Snapshot compile(GatewayConfig config) throws ConfigException {
    return compile(config, null);
  }

  /**
   * Compiles a config as the successor of {@code previous} (may be null): services that are still
   * there keep their endpoints' health, their breakers and their weights.
   */
  public static Snapshot compile(GatewayConfig config, Snapshot previous) throws ConfigException {
    List<ConfigError> errors = new ArrayList<>();
    Map<String, Service> services = new LinkedHashMap<>();
    for (Map.Entry<String, ServiceConfig> e : config.services().entrySet()) {
      String name = e.getKey();
      try {
        services.put(name, Service.build(name, e.getValue(), previous == null ? null : previous.services.get(name)));
      } catch (TlsFileException ex) {
        // The validator read these files a moment ago; they changed or vanished since.
        errors.add(new ConfigError("services." + name + ".tls." + switch (ex.part()) {
          case CA -> "caFile";
          case CERT -> "certFile";
          case KEY -> "keyFile";
        }, "\"" + ex.file() + "\" (" + ex.problem() + ")"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    List<Route> routes = new ArrayList<>();
    long defaultMaxBody = config.server().limits().maxBodyBytes().bytes();
    for (int i = 0; i < config.routes().size(); i++) {
      RouteConfig rc = config.routes().get(i);
      PathPattern pattern;
      try {
        pattern = PathPattern.compile(rc.match().path());
      } catch (IllegalArgumentException e) {
        errors.add(new ConfigError("routes[" + i + "].match.path", "\"" + rc.match().path() + "\" ("
            + e.getMessage() + ")"));
        continue;
      }
      long maxBody = rc.maxBodyBytes() == null ? defaultMaxBody : rc.maxBodyBytes().bytes();
      routes.add(new Route(rc.id(), i, pattern, new LinkedHashSet<>(rc.match().methods()), rc.match().host(),
          rc.match().headers(), services.get(rc.service()), rc.stripPrefix(), maxBody, rc.preserveHost(),
          List.of(), new CallPolicy(rc.timeouts(), config.services().get(rc.service()).timeouts(), rc.retries())));
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new Snapshot(config, new Router(routes), java.util.Collections.unmodifiableMap(services));
  }

  public GatewayConfig config() {
    return config;
  }

  public Router router() {
    return router;
  }

  public Map<String, Service> services() {
    return services;
  }
}
