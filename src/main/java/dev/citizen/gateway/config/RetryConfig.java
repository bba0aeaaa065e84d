package dev.citizen.gateway.config;

import java.time.Duration;
import java.util.List;

/**
 * When a route's request is tried again on another endpoint.
 *
 * @param attempts tries in all, the first included; 1 turns retries off (default 2)
 * @param on outcomes that are retried: {@code connect-failure}, {@code reset} (the connection
 *     closed before an answer), or a status such as {@code 503} (default connect-failure, 502,
 *     503, 504)
 * @param methods methods that are retried on any listed outcome (default the idempotent ones);
 *     a connect failure is retried for every method, since the service never saw the request
 * @param backoff the first pause before a retry, doubled for each further one, with full jitter
 *     (default 25ms)
 * @param maxBackoff cap of the pause (default 250ms)
 * @param maxBufferedBody a request body up to this size is kept so that it can be sent again;
 *     a larger or unsized body is streamed and not retried once sent (default 64KiB)
 */
public record RetryConfig(Integer attempts, List<String> on, List<String> methods, Duration backoff,
    Duration maxBackoff, DataSize maxBufferedBody) {
  public static final RetryConfig DEFAULT = new RetryConfig(null, null, null, null, null, null);

  public RetryConfig {
    attempts = attempts == null ? 2 : attempts;
    on = on == null ? List.of("connect-failure", "502", "503", "504") : on;
    methods = methods == null ? List.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE") : methods;
    backoff = backoff == null ? Duration.ofMillis(25) : backoff;
    maxBackoff = maxBackoff == null ? Duration.ofMillis(250) : maxBackoff;
    maxBufferedBody = maxBufferedBody == null ? DataSize.ofKiB(64) : maxBufferedBody;
  }
}
