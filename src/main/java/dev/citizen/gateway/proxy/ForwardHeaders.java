package dev.citizen.gateway.proxy;

import dev.citizen.gateway.client.ForwardedFor;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Header rewriting between client and service (RFC 9110 §7.6.1): hop-by-hop headers, and any
 * header the {@code Connection} header names, stay on their own hop; everything else passes, with
 * repeated headers such as {@code Set-Cookie} kept as separate lines.
 *
 * <p>On the hot path of every request, so names are compared case-insensitively in place, with
 * no lower-cased copies.
 */
public final class ForwardHeaders {
  /** Hop-by-hop by definition (RFC 9110 §7.6.1, plus the legacy Keep-Alive and Proxy-Connection). */
  static final HeaderNames HOP_BY_HOP = HeaderNames.of(
      "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

  private ForwardHeaders() {}

  /**
   * Adds the end-to-end headers of {@code in} to {@code out}, skipping hop-by-hop headers, those
   * named in {@code in}'s Connection lines, and {@code alsoSkip} (headers the caller sets itself).
   */
  public static void copyEndToEnd(MultiMap in, MultiMap out, HeaderNames alsoSkip) {
    HeaderNames named = connectionNamed(in);
    for (Map.Entry<String, String> e : in) {
      String name = e.getKey();
      if (HOP_BY_HOP.contains(name) || alsoSkip.contains(name) || (named != null && named.contains(name))) {
        continue;
      }
      out.add(name, e.getValue());
    }
  }

  /** Removes hop-by-hop headers from {@code headers} in place (the upstream's response head). */
  public static void removeHopByHop(MultiMap headers) {
    HeaderNames named = connectionNamed(headers);
    if (named != null) {
      for (String name : named.names()) {
        headers.remove(name);
      }
    }
    for (String name : HOP_BY_HOP.names()) {
      headers.remove(name);
    }
  }

  /**
   * The extra header names the Connection lines list, or null when they list none beyond the
   * standard options. Every line counts: two lines are one list (RFC 9110 §5.3).
   */
  static HeaderNames connectionNamed(MultiMap in) {
    if (!in.contains(HttpHeaders.CONNECTION)) {
      return null;
    }
    List<String> extra = null;
    for (String line : in.getAll(HttpHeaders.CONNECTION)) {
      for (String token : line.split(",")) {
        String t = token.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("keep-alive") || t.equalsIgnoreCase("close")
            || t.equalsIgnoreCase("upgrade")) {
          continue; // options, or hop-by-hop headers removed anyway
        }
        if (extra == null) {
          extra = new ArrayList<>(2);
        }
        extra.add(t);
      }
    }
    return extra == null ? null : HeaderNames.of(extra.toArray(new String[0]));
  }

  /**
   * X-Forwarded-For for the service: the chain the gateway verified, from the client it settled on
   * through the trusted proxies (all lines of the received header are one list, RFC 9110 §5.3) to
   * the direct peer; just the peer when the peer is the client. What a client wrote itself is not
   * passed on, so a service that reads the left-most entry gets the client the gateway believes.
   */
  /**
   * The scheme a trusted proxy received the request with ({@code X-Forwarded-Proto}, its first
   * entry: the client's hop), if it is http or https; else null.
   */
  static String forwardedProto(MultiMap headers) {
    String first = first(headers.get("X-Forwarded-Proto"));
    if (first == null) {
      return null;
    }
    return first.equalsIgnoreCase("https") ? "https" : first.equalsIgnoreCase("http") ? "http" : null;
  }

  /**
   * The host a trusted proxy received ({@code X-Forwarded-Host}, its first entry: the one the
   * client used), if it is a plain {@code host[:port]}; else null.
   */
  static String forwardedHost(MultiMap headers) {
    String first = first(headers.get("X-Forwarded-Host"));
    return first != null && HOST.matcher(first).matches() ? first : null;
  }

  /** A name or IPv4 address, or a bracketed IPv6 address, with an optional port. */
  private static final Pattern HOST =
      Pattern.compile("(?:[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9A-Fa-f:.]{2,45}\\])(?::\\d{1,5})?");

  /** The first comma-separated entry of a header value, trimmed; null when there is none. */
  private static String first(String value) {
    if (value == null) {
      return null;
    }
    int comma = value.indexOf(',');
    String f = (comma < 0 ? value : value.substring(0, comma)).trim();
    return f.isEmpty() ? null : f;
  }

  static String forwardedFor(MultiMap headers, String client, String peer) {
    if (client == null || client.equals(peer)) {
      return peer;
    }
    return ForwardedFor.chain(headers.getAll(ForwardedFor.HEADER), client, peer);
  }
}
