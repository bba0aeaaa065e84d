package dev.citizen.gateway.server;

import dev.citizen.gateway.client.ClientAddresses;
import dev.citizen.gateway.config.ConfigError;
import dev.citizen.gateway.config.ConfigException;
import dev.citizen.gateway.config.GatewayConfig;
import dev.citizen.gateway.config.RouteConfig;
import dev.citizen.gateway.filter.headers.SecurityHeaders;
import dev.citizen.gateway.config.ServiceConfig;
import dev.citizen.gateway.filter.waf.WafLoadException;
import dev.citizen.gateway.filter.waf.WafSettings;
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
  private final EdgeState edge;
  private final ClientAddresses clientAddresses;
  private final SecurityHeaders securityHeaders;
  /** Only the routes with a {@code headers} key of their own. */
  private final Map<String, SecurityHeaders> routeSecurityHeaders;

  private Snapshot(GatewayConfig config, Router router, Map<String, Service> services, EdgeState edge) {
    this.config = config;
    this.router = router;
    this.services = services;
    this.edge = edge;
    this.clientAddresses = ClientAddresses.of(config.security().trustedProxies());
    this.securityHeaders = SecurityHeaders.compile(config.security().headers());
    Map<String, SecurityHeaders> perRoute = new java.util.HashMap<>();
    for (RouteConfig rc : config.routes()) {
      if (rc.headers() != null) {
        perRoute.put(rc.id(), SecurityHeaders.compile(config.security().headers(), rc.headers()));
      }
    }
    this.routeSecurityHeaders = Map.copyOf(perRoute);
  }

  /** Compiles a config that passed {@code ConfigValidator}; reports pattern errors with paths. */
  public static Snapshot compile(GatewayConfig config) throws ConfigException {
    return compile(config, null, new EdgeState(null));
  }

  /**
   * Compiles a config as the successor of {@code previous} (may be null): services that are still
   * there keep their endpoints' health, their breakers and their weights, and the edge state (bans,
   * key sets, rate limits) carries over.
   */
  public static Snapshot compile(GatewayConfig config, Snapshot previous) throws ConfigException {
    return compile(config, previous, previous == null ? new EdgeState(null) : previous.edge);
  }

  /** The first snapshot of a gateway, with the edge state it keeps for its lifetime. */
  static Snapshot compile(GatewayConfig config, Snapshot previous, EdgeState edge) throws ConfigException {
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
    List<WafSettings> wafInUse = new ArrayList<>();
    Map<WafSettings, WafLoadException> wafFailed = new java.util.HashMap<>();
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
      if (rc.waf() != null && rc.waf().mode() != dev.citizen.gateway.config.RouteWafConfig.Mode.OFF) {
        WafSettings settings = WafSettings.of(config.waf(), rc.waf());
        try {
          if (wafFailed.containsKey(settings)) {
            throw wafFailed.get(settings); // one failed load per settings, not one per route
          }
          edge.waf().get(settings); // compiled now (or reused), so RouteFilters finds it
          wafInUse.add(settings);
        } catch (WafLoadException e) {
          wafFailed.put(settings, e);
          String key = switch (e.setting()) {
            case CRS_DIR -> "waf.crsDir";
            case CRS_SETUP -> "waf.crsSetup";
            case ROUTE -> "routes[" + i + "].waf";
          };
          ConfigError error = new ConfigError(key, "the WAF rules cannot be loaded: " + e.getMessage());
          if (!errors.contains(error)) { // waf.crsDir once, however many routes use it
            errors.add(error);
          }
          continue;
        }
      }
      long maxBody = rc.maxBodyBytes() == null ? defaultMaxBody : rc.maxBodyBytes().bytes();
      routes.add(new Route(rc.id(), i, pattern, new LinkedHashSet<>(rc.match().methods()), rc.match().host(),
          rc.match().headers(), services.get(rc.service()), rc.stripPrefix(), maxBody, rc.preserveHost(),
          RouteFilters.build(rc, config, edge), new CallPolicy(rc.timeouts(), config.services().get(rc.service()).timeouts(), rc.retries())));
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    // Rule sets only an older config used are dropped; that snapshot's filters keep their own
    // reference for the requests still in flight.
    edge.waf().retainOnly(wafInUse);
    return new Snapshot(config, new Router(routes), java.util.Collections.unmodifiableMap(services), edge);
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

  /** Who a request's client is, by {@code security.trustedProxies}. */
  public ClientAddresses clientAddresses() {
    return clientAddresses;
  }

  /** The security headers of a response on route {@code routeId}; null (no route) gets the gateway's. */
  public SecurityHeaders securityHeaders(String routeId) {
    if (routeId == null || routeSecurityHeaders.isEmpty()) {
      return securityHeaders;
    }
    return routeSecurityHeaders.getOrDefault(routeId, securityHeaders);
  }

  /** State of the edge-security filters, shared by every snapshot of one gateway. */
  public EdgeState edge() {
    return edge;
  }
}
