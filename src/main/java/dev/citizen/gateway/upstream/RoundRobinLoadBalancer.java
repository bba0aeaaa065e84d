package dev.citizen.gateway.upstream;

import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Weighted round robin: an endpoint of weight w appears w times in a schedule that interleaves
 * endpoints (smooth weighted round robin, as nginx does), so weights 5:1 never send five requests
 * in a row to one endpoint when the other could take one in between. An endpoint that is not
 * available is skipped, and its turn goes to the next in the schedule.
 */
public final class RoundRobinLoadBalancer implements LoadBalancer {
  private final Endpoint[] endpoints;
  private final Endpoint[] schedule;
  private final AtomicLong next = new AtomicLong();

  public RoundRobinLoadBalancer(Endpoint[] endpoints, int[] weights) {
    this.endpoints = endpoints;
    this.schedule = buildSchedule(endpoints, weights);
  }

  @Override
  public Endpoint pick(HttpServerRequest request, Endpoint avoid, long nowNanos) {
    int n = schedule.length;
    if (n == 0) {
      return null;
    }
    // A retry does not take a turn: otherwise a failing endpoint followed by its retry would shift
    // the schedule by two, and the failing endpoint would get every first try.
    int start = avoid == null ? (int) Math.floorMod(next.getAndIncrement(), (long) n)
        : java.util.concurrent.ThreadLocalRandom.current().nextInt(n);
    Endpoint fallback = null;
    for (int i = 0; i < n; i++) {
      Endpoint e = schedule[(start + i) % n];
      if (e.available(nowNanos)) {
        if (e != avoid) {
          return e;
        }
        fallback = e;
      }
    }
    return fallback;
  }

  @Override
  public Endpoint[] endpoints() {
    return endpoints;
  }

  /**
   * The first available endpoint with a weight, preferring one that is not {@code avoid}; the slow
   * path of the other balancers when chance finds none.
   */
  static Endpoint firstAvailable(Endpoint[] endpoints, int[] weights, Endpoint avoid, long nowNanos) {
    Endpoint fallback = null;
    for (int i = 0; i < endpoints.length; i++) {
      if (weights[i] > 0 && endpoints[i].available(nowNanos)) {
        if (endpoints[i] != avoid) {
          return endpoints[i];
        }
        fallback = endpoints[i];
      }
    }
    return fallback;
  }

  static Endpoint[] buildSchedule(Endpoint[] endpoints, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    List<Endpoint> out = new ArrayList<>(total);
    int[] current = new int[endpoints.length];
    for (int step = 0; step < total; step++) {
      int best = -1;
      for (int i = 0; i < endpoints.length; i++) {
        current[i] += weights[i];
        if (weights[i] > 0 && (best < 0 || current[i] > current[best])) {
          best = i;
        }
      }
      current[best] -= total;
      out.add(endpoints[best]);
    }
    return out.toArray(new Endpoint[0]);
  }
}
