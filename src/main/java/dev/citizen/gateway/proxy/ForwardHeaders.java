package dev.citizen.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Header rewriting between client and service (RFC 9110 §7.6.1): hop-by-hop headers, and any
 * header the {@code Connection} header names, stay on their own hop; everything else passes, with
 * repeated headers such as {@code Set-Cookie} kept as separate lines.
 */
public final class ForwardHeaders {
  /** Hop-by-hop by definition, plus those the gateway sets itself on the next hop. */
  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

  private ForwardHeaders() {}

  /**
   * Copies end-to-end headers from {@code in} to a new map, also skipping {@code alsoSkip}
   * (lower-case names the caller will set itself).
   */
  public static MultiMap endToEnd(MultiMap in, Set<String> alsoSkip) {
    MultiMap out = HttpHeaders.headers();
    // Every Connection line counts: two lines are one list (RFC 9110 §5.3), and a name on the
    // second line must stay on this hop just as well.
    java.util.List<String> connection = in.getAll(HttpHeaders.CONNECTION);
    Set<String> named = connection.isEmpty() ? Set.of() : connectionTokens(String.join(",", connection));
    for (Map.Entry<String, String> e : in) {
      String name = e.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(lower) || alsoSkip.contains(lower) || named.contains(lower)) {
        continue;
      }
      out.add(name, e.getValue());
    }
    return out;
  }

  /** The header names listed in a Connection header, lower-cased. */
  static Set<String> connectionTokens(String value) {
    String[] parts = value.split(",");
    java.util.HashSet<String> names = new java.util.HashSet<>(parts.length * 2);
    for (String p : parts) {
      String t = p.trim().toLowerCase(Locale.ROOT);
      if (!t.isEmpty()) {
        names.add(t);
      }
    }
    return names;
  }

  /** X-Forwarded-For: the client's list with the direct peer appended. */
  static String appendForwardedFor(String existing, String peer) {
    if (existing == null || existing.isBlank()) {
      return peer;
    }
    return existing + ", " + peer;
  }

  /**
   * X-Forwarded-For from all of the client's lines: several lines are one list (RFC 9110 §5.3),
   * so reading only the first would drop hops.
   */
  static String appendForwardedFor(java.util.List<String> existing, String peer) {
    StringBuilder sb = new StringBuilder();
    for (String line : existing) {
      if (!line.isBlank()) {
        sb.append(line.trim()).append(", ");
      }
    }
    return sb.append(peer).toString();
  }
}
