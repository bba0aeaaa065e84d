package dev.citizen.gateway.upstream;

import dev.citizen.gateway.config.RetryConfig;
import dev.citizen.gateway.config.RouteTimeoutsConfig;
import dev.citizen.gateway.config.ServiceTimeoutsConfig;
import io.vertx.core.http.HttpMethod;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a route calls its service: timeouts per attempt and overall, and when a failed attempt is
 * retried. Compiled once per route from its config and its service's, in millis.
 */
public final class CallPolicy {
  /** Why an attempt failed, as far as retrying cares. */
  public enum Failure { CONNECT, RESET, STATUS }

  private final long connectMillis;
  private final long responseMillis;
  private final long totalMillis;
  private final int attempts;
  private final boolean onConnect;
  private final boolean onReset;
  private final boolean[] onStatus = new boolean[600];
  private final Set<HttpMethod> methods = new HashSet<>();
  private final long backoffMillis;
  private final long maxBackoffMillis;
  private final long maxBufferedBody;

  public CallPolicy(RouteTimeoutsConfig route, ServiceTimeoutsConfig service, RetryConfig retry) {
    connectMillis = (route.connect() != null ? route.connect() : service.connect()).toMillis();
    responseMillis = (route.response() != null ? route.response() : service.response()).toMillis();
    totalMillis = route.total() == null ? 0 : route.total().toMillis();
    attempts = retry.attempts();
    boolean connect = false;
    boolean reset = false;
    for (String on : retry.on()) {
      if (on.equals("connect-failure")) {
        connect = true;
      } else if (on.equals("reset")) {
        reset = true;
      } else {
        onStatus[Integer.parseInt(on)] = true;
      }
    }
    onConnect = connect;
    onReset = reset;
    for (String m : retry.methods()) {
      methods.add(HttpMethod.valueOf(m));
    }
    backoffMillis = retry.backoff().toMillis();
    maxBackoffMillis = retry.maxBackoff().toMillis();
    maxBufferedBody = retry.maxBufferedBody().bytes();
  }

  public static CallPolicy defaults(ServiceTimeoutsConfig service) {
    return new CallPolicy(RouteTimeoutsConfig.DEFAULT, service, RetryConfig.DEFAULT);
  }

  public long connectMillis() {
    return connectMillis;
  }

  public long responseMillis() {
    return responseMillis;
  }

  /** The overall deadline, 0 for none. */
  public long totalMillis() {
    return totalMillis;
  }

  public int attempts() {
    return attempts;
  }

  /** Whether an attempt that failed this way, for this method, may be tried again. */
  public boolean retryable(HttpMethod method, Failure failure, int status) {
    if (attempts < 2) {
      return false;
    }
    return switch (failure) {
      // The service never saw the request: safe for every method.
      case CONNECT -> onConnect;
      case RESET -> onReset && methods.contains(method);
      case STATUS -> status < onStatus.length && onStatus[status] && methods.contains(method);
    };
  }

  /** Whether any retry could apply to this method, i.e. whether its body is worth keeping. */
  public boolean mayRetry(HttpMethod method) {
    return attempts > 1 && methods.contains(method);
  }

  public long maxBufferedBody() {
    return maxBufferedBody;
  }

  /** Full jitter: a random pause up to backoff × 2^(retry-1), capped. */
  public long backoffMillis(int retry) {
    long cap = Math.min(maxBackoffMillis, backoffMillis << Math.min(retry - 1, 20));
    return cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
  }
}
