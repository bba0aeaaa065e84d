package dev.citizen.gateway.filter.headers;

import dev.citizen.gateway.config.HstsConfig;
import dev.citizen.gateway.config.SecurityHeadersConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The security headers of one scope (the gateway, or a route with its own {@code headers}),
 * compiled once per config: names and values are pre-encoded ASCII constants, so decorating a
 * response costs a few map operations and no allocation.
 *
 * <p>Applied by the request handler to every response it writes, proxied or gateway-made (404,
 * 405, 413, 429, 502...), just before the writer; the request guard's own raw error answers carry
 * {@link #rawHead()}.
 */
public final class SecurityHeaders {
  /** Headers of services that name their software or version; always dropped. */
  public static final List<String> DISCLOSING = List.of("Server", "X-Powered-By", "X-AspNet-Version",
      "X-AspNetMvc-Version", "X-Runtime", "X-Version", "X-Generator", "Via");

  static final String DEFAULT_CONTENT_TYPE_OPTIONS = "nosniff";
  static final String DEFAULT_FRAME_OPTIONS = "DENY";
  static final String DEFAULT_CSP = "frame-ancestors 'none'";
  static final String DEFAULT_REFERRER_POLICY = "strict-origin-when-cross-origin";

  private static final CharSequence X_CONTENT_TYPE_OPTIONS = HttpHeaders.createOptimized("X-Content-Type-Options");
  private static final CharSequence X_FRAME_OPTIONS = HttpHeaders.createOptimized("X-Frame-Options");
  private static final CharSequence CONTENT_SECURITY_POLICY = HttpHeaders.createOptimized("Content-Security-Policy");
  private static final CharSequence REFERRER_POLICY = HttpHeaders.createOptimized("Referrer-Policy");
  private static final CharSequence STRICT_TRANSPORT_SECURITY =
      HttpHeaders.createOptimized("Strict-Transport-Security");

  private final CharSequence[] remove;
  /** Set on every response, replacing the service's: names at even indexes, values at odd. */
  private final CharSequence[] set;
  private final CharSequence csp;
  private final CharSequence hsts;
  private final String rawHead;

  private SecurityHeaders(List<String> remove, List<CharSequence> set, String csp, String hsts) {
    this.remove = remove.stream().map(HttpHeaders::createOptimized).toArray(CharSequence[]::new);
    this.set = set.toArray(new CharSequence[0]);
    this.csp = csp == null ? null : HttpHeaders.createOptimized(csp);
    this.hsts = hsts == null ? null : HttpHeaders.createOptimized(hsts);
    StringBuilder head = new StringBuilder();
    for (int i = 0; i < this.set.length; i += 2) {
      head.append(this.set[i]).append(": ").append(this.set[i + 1]).append("\r\n");
    }
    if (csp != null) {
      head.append(CONTENT_SECURITY_POLICY).append(": ").append(csp).append("\r\n");
    }
    this.rawHead = head.toString();
  }

  /** The gateway-wide headers. */
  public static SecurityHeaders compile(SecurityHeadersConfig gateway) {
    return compile(gateway, SecurityHeadersConfig.DEFAULT);
  }

  /** A route's headers: each of its keys replaces the gateway's; keys it leaves out keep them. */
  public static SecurityHeaders compile(SecurityHeadersConfig gateway, SecurityHeadersConfig route) {
    List<CharSequence> set = new ArrayList<>();
    add(set, X_CONTENT_TYPE_OPTIONS, pick(route.contentTypeOptions(), gateway.contentTypeOptions(),
        DEFAULT_CONTENT_TYPE_OPTIONS));
    add(set, X_FRAME_OPTIONS, pick(route.frameOptions(), gateway.frameOptions(), DEFAULT_FRAME_OPTIONS));
    add(set, REFERRER_POLICY, pick(route.referrerPolicy(), gateway.referrerPolicy(), DEFAULT_REFERRER_POLICY));
    String csp = pick(route.contentSecurityPolicy(), gateway.contentSecurityPolicy(), DEFAULT_CSP);
    HstsConfig hsts = route.hsts() != null ? route.hsts() : gateway.hsts() != null ? gateway.hsts() : HstsConfig.DEFAULT;
    List<String> extra = route.removeHeaders() != null ? route.removeHeaders()
        : gateway.removeHeaders() != null ? gateway.removeHeaders() : List.of();
    Set<String> remove = new LinkedHashSet<>();
    for (String name : DISCLOSING) {
      remove.add(name.toLowerCase(Locale.ROOT));
    }
    for (String name : extra) {
      remove.add(name.toLowerCase(Locale.ROOT));
    }
    return new SecurityHeaders(List.copyOf(remove), set, csp.isEmpty() ? null : csp, hsts.value());
  }

  /** The value of the narrowest scope that sets it; "" (none) is a value too. */
  private static String pick(String route, String gateway, String fallback) {
    return route != null ? route : gateway != null ? gateway : fallback;
  }

  private static void add(List<CharSequence> set, CharSequence name, String value) {
    if (!value.isEmpty()) {
      set.add(name);
      set.add(HttpHeaders.createOptimized(value));
    }
  }

  /**
   * Decorates a response's headers in place: drops the service's disclosing headers, sets the
   * gateway's (replacing the service's values), adds the CSP if the service sent none, and HSTS
   * when the request came over TLS ({@code secure}).
   */
  public void apply(MultiMap headers, boolean secure) {
    for (CharSequence name : remove) {
      headers.remove(name);
    }
    for (int i = 0; i < set.length; i += 2) {
      headers.set(set[i], set[i + 1]);
    }
    if (csp != null && !headers.contains(CONTENT_SECURITY_POLICY)) {
      headers.set(CONTENT_SECURITY_POLICY, csp);
    }
    if (secure && hsts != null) {
      headers.set(STRICT_TRANSPORT_SECURITY, hsts);
    }
  }

  /**
   * The headers as raw head lines ({@code Name: value\r\n} each), for answers written below the
   * HTTP encoder; without HSTS, which a browser learns from any of the other responses.
   */
  public String rawHead() {
    return rawHead;
  }
}
