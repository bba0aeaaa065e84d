package dev.citizen.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * CORS for one route, with preflight answered at the gateway: the {@code cors} key.
 *
 * @param allowOrigins origins allowed to read responses: exact ({@code https://app.example.org},
 *     with a port when it is not the scheme's default), a subdomain pattern
 *     ({@code https://*.example.org}: any subdomain, not the bare domain) or {@code *} (any
 *     origin); required. {@code null} (the origin of sandboxed documents) is refused
 * @param allowMethods methods a preflight may ask for (default GET, HEAD, POST)
 * @param allowHeaders request headers a preflight may ask for, case-insensitive; {@code *} allows
 *     any (default none: only the CORS-safelisted ones)
 * @param exposeHeaders response headers scripts may read beyond the safelisted ones (default none)
 * @param allowCredentials let scripts send cookies and HTTP authentication; never together with
 *     the origin {@code *} (default false)
 * @param maxAge how long a browser may cache a preflight answer (default 10m; browsers cap it,
 *     Chromium at 2h)
 */
public record CorsConfig(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
    List<String> exposeHeaders, Boolean allowCredentials, Duration maxAge) {
  private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
  /** scheme://host[:port], the serialisation of an origin (RFC 6454 §6.2), lower case. */
  private static final String ORIGIN = "[a-z][a-z0-9+.-]*://(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?";

  public CorsConfig {
    allowOrigins = allowOrigins == null ? List.of() : allowOrigins;
    allowMethods = allowMethods == null ? List.of("GET", "HEAD", "POST") : allowMethods;
    allowHeaders = allowHeaders == null ? List.of() : allowHeaders;
    exposeHeaders = exposeHeaders == null ? List.of() : exposeHeaders;
    allowCredentials = allowCredentials != null && allowCredentials;
    maxAge = maxAge == null ? Duration.ofMinutes(10) : maxAge;
  }

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {
    if (allowOrigins.isEmpty()) {
      errors.add(new ConfigError(path + ".allowOrigins", "missing (expected: at least one origin, such as "
          + "https://app.example.org, or *)"));
    }
    for (int i = 0; i < allowOrigins.size(); i++) {
      String o = allowOrigins.get(i);
      String p = path + ".allowOrigins[" + i + "]";
      if (o == null) {
        continue;
      }
      if (o.equals("*")) {
        if (allowCredentials) {
          errors.add(new ConfigError(p, "\"*\" with allowCredentials: true (expected: the origins listed one by one: "
              + "any web site could otherwise act with the user's cookies)"));
        }
      } else if (o.equalsIgnoreCase("null")) {
        errors.add(new ConfigError(p, "\"null\" (expected: a real origin; sandboxed documents and local files "
            + "send null, so allowing it allows any of them)"));
      } else if (!o.toLowerCase(Locale.ROOT).matches(ORIGIN) || portOver(o)) {
        errors.add(new ConfigError(p, "\"" + o + "\" (expected: scheme://host[:port] with no path, such as "
            + "https://app.example.org or https://*.example.org, or *)"));
      }
    }
    for (int i = 0; i < allowMethods.size(); i++) {
      String m = allowMethods.get(i);
      if (m != null && !m.matches("[A-Z][A-Z-]*")) {
        errors.add(new ConfigError(path + ".allowMethods[" + i + "]", "\"" + m
            + "\" (expected: an upper-case method such as PUT)"));
      }
    }
    headerNames(errors, path + ".allowHeaders", allowHeaders);
    headerNames(errors, path + ".exposeHeaders", exposeHeaders);
    if (allowCredentials && exposeHeaders.contains("*")) {
      errors.add(new ConfigError(path + ".exposeHeaders", "\"*\" with allowCredentials: true (expected: the "
          + "header names; with credentials browsers read * as a header named *)"));
    }
    if (maxAge.isNegative()) {
      errors.add(new ConfigError(path + ".maxAge", "negative (expected: >= 0)"));
    }
  }

  /** Header names; {@code *} is a token too, and means any header where the spec allows it. */
  private static void headerNames(List<ConfigError> errors, String path, List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      String h = names.get(i);
      if (h != null && !h.matches(TOKEN)) {
        errors.add(new ConfigError(path + "[" + i + "]", "\"" + h + "\" (expected: a header name)"));
      }
    }
  }

  private static boolean portOver(String origin) {
    int colon = origin.lastIndexOf(':');
    return colon > origin.indexOf("://") + 2 && Integer.parseInt(origin.substring(colon + 1)) > 65535;
  }
}
