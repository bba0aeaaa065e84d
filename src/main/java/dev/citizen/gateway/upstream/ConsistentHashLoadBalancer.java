package dev.citizen.gateway.upstream;

import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Consistent hashing on a request header or cookie, for stickiness: requests with the same key go
 * to the same endpoint, and when an endpoint leaves or comes back only the keys it owns move. Each
 * endpoint owns {@value #POINTS_PER_WEIGHT} points per unit of weight on a 64-bit ring; a key goes
 * to the first available endpoint clockwise from its hash. A request without the key goes to a
 * random available endpoint.
 */
public final class ConsistentHashLoadBalancer implements LoadBalancer {
  static final int POINTS_PER_WEIGHT = 64;
  private static final int MAX_POINTS = 1 << 16;

  private final Endpoint[] endpoints;
  private final int[] weights;
  private final String header;
  private final String cookie;
  private final long[] ring;
  private final Endpoint[] owners;

  public ConsistentHashLoadBalancer(Endpoint[] endpoints, int[] weights, String header, String cookie) {
    this.endpoints = endpoints;
    this.weights = weights;
    this.header = header;
    this.cookie = cookie;
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int perWeight = total == 0 ? 0 : Math.max(1, Math.min(POINTS_PER_WEIGHT, MAX_POINTS / total));
    long[][] points = new long[total * perWeight][];
    int k = 0;
    for (int i = 0; i < endpoints.length; i++) {
      for (int p = 0; p < weights[i] * perWeight; p++) {
        points[k++] = new long[] {hash(endpoints[i].url() + "#" + p), i};
      }
    }
    Arrays.sort(points, (a, b) -> Long.compare(a[0], b[0]));
    ring = new long[points.length];
    owners = new Endpoint[points.length];
    for (int i = 0; i < points.length; i++) {
      ring[i] = points[i][0];
      owners[i] = endpoints[(int) points[i][1]];
    }
  }

  @Override
  public Endpoint pick(HttpServerRequest request, Endpoint avoid, long nowNanos) {
    if (ring.length == 0) {
      return null;
    }
    String key = key(request);
    int start = key == null ? ThreadLocalRandom.current().nextInt(ring.length) : slot(hash(key));
    Endpoint fallback = null;
    // Walk clockwise; in the worst case (most endpoints down) this visits the ring once.
    for (int i = 0; i < ring.length; i++) {
      Endpoint e = owners[(start + i) % ring.length];
      if (e.available(nowNanos)) {
        if (e != avoid) {
          return e;
        }
        fallback = e;
      }
    }
    return fallback;
  }

  /** The endpoint that owns {@code key} when every endpoint is available. */
  Endpoint pickForKey(String key) {
    return owners[slot(hash(key))];
  }

  /** The index of the first ring point at or after {@code h} (wrapping to 0). */
  private int slot(long h) {
    int i = Arrays.binarySearch(ring, h);
    if (i < 0) {
      i = -i - 1;
    }
    return i == ring.length ? 0 : i;
  }

  String key(HttpServerRequest request) {
    if (header != null) {
      String v = request.getHeader(header);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    if (cookie != null) {
      String v = cookieValue(request.getHeader("Cookie"), cookie);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }

  /** The value of cookie {@code name} in a Cookie header, or null. */
  static String cookieValue(String header, String name) {
    if (header == null) {
      return null;
    }
    int i = 0;
    int n = header.length();
    while (i < n) {
      while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ';')) {
        i++;
      }
      int end = header.indexOf(';', i);
      if (end < 0) {
        end = n;
      }
      int eq = header.indexOf('=', i);
      if (eq > 0 && eq < end && header.regionMatches(i, name, 0, name.length()) && eq - i == name.length()) {
        return header.substring(eq + 1, end).trim();
      }
      i = end + 1;
    }
    return null;
  }

  /** FNV-1a over UTF-8, finished with MurmurHash3's mixer so that near keys spread over the ring. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  @Override
  public Endpoint[] endpoints() {
    return endpoints;
  }

  int[] weights() {
    return weights;
  }
}
