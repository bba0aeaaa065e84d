package dev.citizen.gateway.filter.cors;

import dev.citizen.gateway.config.CorsConfig;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A route's {@link CorsConfig} compiled for the request path: origin sets and patterns, and the
 * header values a preflight answer carries, joined once.
 */
final class CorsPolicy {
  private final boolean anyOrigin;
  private final Set<String> origins = new HashSet<>();
  /** {@code https://*.example.org:8443} as {"https://", ".example.org:8443"}. */
  private final List<String[]> patterns = new ArrayList<>();
  private final Set<String> methods;
  private final boolean anyHeader;
  private final Set<String> headers = new HashSet<>();
  final boolean credentials;
  final CharSequence allowMethods;
  /** The configured list, or null when it is empty or {@code *} (then the request's is echoed). */
  final CharSequence allowHeaders;
  final CharSequence exposeHeaders;
  final CharSequence maxAge;

  CorsPolicy(CorsConfig config) {
    boolean any = false;
    for (String o : config.allowOrigins()) {
      if (o.equals("*")) {
        any = true;
        continue;
      }
      String origin = withoutDefaultPort(o.toLowerCase(Locale.ROOT));
      int star = origin.indexOf("://*.");
      if (star >= 0) {
        patterns.add(new String[] {origin.substring(0, star + 3), origin.substring(star + 4)});
      } else {
        origins.add(origin);
      }
    }
    anyOrigin = any;
    methods = Set.copyOf(config.allowMethods());
    boolean anyH = false;
    for (String h : config.allowHeaders()) {
      if (h.equals("*")) {
        anyH = true;
      } else {
        headers.add(h.toLowerCase(Locale.ROOT));
      }
    }
    anyHeader = anyH;
    credentials = config.allowCredentials();
    allowMethods = HttpHeaders.createOptimized(String.join(", ", config.allowMethods()));
    allowHeaders = anyHeader || config.allowHeaders().isEmpty() ? null
        : HttpHeaders.createOptimized(String.join(", ", config.allowHeaders()));
    exposeHeaders = config.exposeHeaders().isEmpty() ? null
        : HttpHeaders.createOptimized(String.join(", ", config.exposeHeaders()));
    maxAge = HttpHeaders.createOptimized(Long.toString(config.maxAge().toSeconds()));
  }

  /** Browsers leave the scheme's default port out of an origin, so a configured one must go too. */
  private static String withoutDefaultPort(String origin) {
    if (origin.startsWith("https://") && origin.endsWith(":443")) {
      return origin.substring(0, origin.length() - 4);
    }
    if (origin.startsWith("http://") && origin.endsWith(":80")) {
      return origin.substring(0, origin.length() - 3);
    }
    return origin;
  }

  boolean allowsOrigin(String origin) {
    if (anyOrigin) {
      return true;
    }
    String o = origin.toLowerCase(Locale.ROOT); // the same instance when already lower case
    if (origins.contains(o)) {
      return true;
    }
    for (String[] p : patterns) {
      int sub = o.length() - p[0].length() - p[1].length();
      if (sub > 0 && o.startsWith(p[0]) && o.endsWith(p[1]) && isSubdomain(o, p[0].length(), sub)) {
        return true;
      }
    }
    return false;
  }

  /** Host labels only: no port, path or user info may hide in what the wildcard covers. */
  private static boolean isSubdomain(String origin, int from, int length) {
    char first = origin.charAt(from);
    if (first == '.' || first == '-') {
      return false;
    }
    for (int i = from; i < from + length; i++) {
      char c = origin.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  boolean allowsMethod(String method) {
    return methods.contains(method);
  }

  /**
   * The first header of a preflight's {@code Access-Control-Request-Headers} list that is not
   * allowed, or null when all are.
   */
  String refusedHeader(String requested) {
    if (anyHeader || requested == null) {
      return null;
    }
    for (String h : requested.split(",")) {
      String name = h.trim();
      if (!name.isEmpty() && !headers.contains(name.toLowerCase(Locale.ROOT))) {
        return name;
      }
    }
    return null;
  }
}
