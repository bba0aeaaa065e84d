package dev.citizen.gateway.config;

import java.util.List;
import java.util.Map;

/**
 * The whole gateway config file: one record per YAML object, components named like the keys.
 *
 * @param server the public listener (default: port 8080 on all interfaces)
 * @param admin the admin listener (default: 127.0.0.1:9901)
 * @param services upstream services by name
 * @param routes routing rules; selection is most specific first, then file order
 * @param observability metrics, access log and tracing
 * @param security gateway-wide edge security: trusted proxies, auto-ban, security headers
 * @param waf the web application firewall's rule set and body inspection (routes turn it on)
 */
public record GatewayConfig(
    ServerConfig server, AdminConfig admin, Map<String, ServiceConfig> services, List<RouteConfig> routes,
    ObservabilityConfig observability, SecurityConfig security, WafConfig waf) {

  public GatewayConfig {
    server = server == null ? ServerConfig.DEFAULT : server;
    admin = admin == null ? AdminConfig.DEFAULT : admin;
    services = services == null ? Map.of() : services;
    routes = routes == null ? List.of() : routes;
    observability = observability == null ? ObservabilityConfig.DEFAULT : observability;
    security = security == null ? SecurityConfig.DEFAULT : security;
    waf = waf == null ? WafConfig.DEFAULT : waf;
  }

  /** A config without a WAF section. */
  public GatewayConfig(ServerConfig server, AdminConfig admin, Map<String, ServiceConfig> services,
      List<RouteConfig> routes, ObservabilityConfig observability, SecurityConfig security) {
    this(server, admin, services, routes, observability, security, null);
  }

  /** A config without an observability section (tests). */
  public GatewayConfig(ServerConfig server, AdminConfig admin, Map<String, ServiceConfig> services,
      List<RouteConfig> routes) {
    this(server, admin, services, routes, null, null, null);
  }
}
