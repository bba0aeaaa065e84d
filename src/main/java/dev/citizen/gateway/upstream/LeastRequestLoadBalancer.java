package dev.citizen.gateway.upstream;

import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Least request by the power of two choices: two endpoints are drawn at random (in proportion to
 * their weights) and the one with fewer requests in flight, relative to its weight, wins. This
 * avoids both the herd that "always the least loaded" sends to a newly idle endpoint and a scan of
 * every endpoint per request.
 */
public final class LeastRequestLoadBalancer implements LoadBalancer {
  /** Draws before giving up on finding an available endpoint by chance and scanning instead. */
  private static final int DRAWS = 8;

  private final Endpoint[] endpoints;
  private final int[] weights;
  private final int[] cumulative;

  public LeastRequestLoadBalancer(Endpoint[] endpoints, int[] weights) {
    this.endpoints = endpoints;
    this.weights = weights;
    this.cumulative = new int[endpoints.length];
    int sum = 0;
    for (int i = 0; i < endpoints.length; i++) {
      sum += weights[i];
      cumulative[i] = sum;
    }
  }

  @Override
  public Endpoint pick(HttpServerRequest request, Endpoint avoid, long nowNanos) {
    int first = draw(avoid, -1, nowNanos);
    if (first < 0) {
      return RoundRobinLoadBalancer.firstAvailable(endpoints, weights, avoid, nowNanos);
    }
    int second = draw(avoid, first, nowNanos);
    if (second < 0) {
      return endpoints[first];
    }
    // a/wa < b/wb without division
    long a = (long) endpoints[first].inFlight() * weights[second];
    long b = (long) endpoints[second].inFlight() * weights[first];
    return a <= b ? endpoints[first] : endpoints[second];
  }

  private int draw(Endpoint avoid, int not, long nowNanos) {
    int total = cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
    if (total == 0) {
      return -1;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int d = 0; d < DRAWS; d++) {
      int r = random.nextInt(total);
      int i = 0;
      while (cumulative[i] <= r) {
        i++;
      }
      if (i != not && endpoints[i] != avoid && endpoints[i].available(nowNanos)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Endpoint[] endpoints() {
    return endpoints;
  }
}
