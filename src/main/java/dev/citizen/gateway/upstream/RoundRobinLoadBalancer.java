package dev.citizen.gateway.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Weighted round robin: an endpoint of weight w appears w times in a schedule that interleaves
 * endpoints (smooth weighted round robin, as nginx does), so weights 5:1 never send five requests
 * in a row to one endpoint when the other could take one in between.
 */
public final class RoundRobinLoadBalancer implements LoadBalancer {
  private final Endpoint[] schedule;
  private final AtomicLong next = new AtomicLong();

  public RoundRobinLoadBalancer(List<Endpoint> endpoints) {
    this.schedule = buildSchedule(endpoints);
  }

  @Override
  public Endpoint pick() {
    if (schedule.length == 0) {
      return null;
    }
    return schedule[(int) Math.floorMod(next.getAndIncrement(), (long) schedule.length)];
  }

  static Endpoint[] buildSchedule(List<Endpoint> endpoints) {
    int total = 0;
    for (Endpoint e : endpoints) {
      total += e.weight();
    }
    List<Endpoint> out = new ArrayList<>(total);
    int[] current = new int[endpoints.size()];
    for (int step = 0; step < total; step++) {
      int best = -1;
      for (int i = 0; i < endpoints.size(); i++) {
        current[i] += endpoints.get(i).weight();
        if (endpoints.get(i).weight() > 0 && (best < 0 || current[i] > current[best])) {
          best = i;
        }
      }
      current[best] -= total;
      out.add(endpoints.get(best));
    }
    return out.toArray(new Endpoint[0]);
  }
}
