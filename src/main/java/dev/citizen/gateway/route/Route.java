package dev.citizen.gateway.route;

import dev.citizen.gateway.filter.Filter;
import dev.citizen.gateway.upstream.CallPolicy;
import dev.citizen.gateway.upstream.Service;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A compiled route: everything from {@code RouteConfig} parsed and resolved once, so matching a
 * request does no parsing.
 */
public final class Route {
  private final String id;
  private final int order;
  private final PathPattern path;
  private final Set<String> methods;
  private final String host;
  private final boolean hostWildcard;
  private final String[][] headers;
  private final Service service;
  private final String stripPrefix;
  private final long maxBodyBytes;
  private final boolean preserveHost;
  private final List<Filter> filters;
  private final CallPolicy callPolicy;

  public Route(String id, int order, PathPattern path, Set<String> methods, String host,
      Map<String, String> headers, Service service, String stripPrefix, long maxBodyBytes,
      boolean preserveHost, List<Filter> filters, CallPolicy callPolicy) {
    this.id = id;
    this.order = order;
    this.path = path;
    this.methods = methods;
    this.hostWildcard = host != null && host.startsWith("*.");
    this.host = host == null ? null : (hostWildcard ? host.substring(1) : host).toLowerCase(Locale.ROOT);
    this.headers = headers.entrySet().stream()
        .map(e -> new String[] {e.getKey(), e.getValue()}).toArray(String[][]::new);
    this.service = service;
    this.stripPrefix = stripPrefix;
    this.maxBodyBytes = maxBodyBytes;
    this.preserveHost = preserveHost;
    this.filters = List.copyOf(filters);
    this.callPolicy = callPolicy;
  }

  /** Everything except the path, which the router checks first. */
  boolean matchesRest(HttpServerRequest request, String hostName) {
    return matchesMethod(request.method().name()) && matchesHost(hostName) && matchesHeaders(request);
  }

  boolean matchesMethod(String method) {
    return methods.isEmpty() || methods.contains(method);
  }

  boolean matchesHost(String hostName) {
    if (host == null) {
      return true;
    }
    if (hostName == null) {
      return false;
    }
    if (hostWildcard) {
      return hostName.length() > host.length() && hostName.regionMatches(true,
          hostName.length() - host.length(), host, 0, host.length());
    }
    return hostName.equalsIgnoreCase(host);
  }

  boolean matchesHeaders(HttpServerRequest request) {
    for (String[] h : headers) {
      if (!h[1].equals(request.getHeader(h[0]))) {
        return false;
      }
    }
    return true;
  }

  /** The path to forward: the prefix removed when it is there, "/" if nothing remains. */
  public String upstreamPath(String normalizedPath) {
    if (stripPrefix == null || !normalizedPath.startsWith(stripPrefix)) {
      return normalizedPath;
    }
    int len = stripPrefix.length();
    if (normalizedPath.length() == len) {
      return "/";
    }
    return normalizedPath.charAt(len) == '/' ? normalizedPath.substring(len) : normalizedPath;
  }

  public String id() {
    return id;
  }

  int order() {
    return order;
  }

  public PathPattern path() {
    return path;
  }

  public Set<String> methods() {
    return methods;
  }

  public Service service() {
    return service;
  }

  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  public boolean preserveHost() {
    return preserveHost;
  }

  public List<Filter> filters() {
    return filters;
  }

  /** Timeouts and retries for calls to the service. */
  public CallPolicy callPolicy() {
    return callPolicy;
  }
}
