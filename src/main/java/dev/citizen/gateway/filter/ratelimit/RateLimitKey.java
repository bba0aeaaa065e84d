package dev.citizen.gateway.filter.ratelimit;

import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.auth.Principal;

/**
 * What a request's bucket is keyed by, parsed once from the {@code key} setting: {@code client},
 * {@code apiKey}, {@code subject} or {@code header:Name}.
 *
 * <p>A request without the configured key (no principal, the header missing) is counted by its
 * client address instead, so leaving a key out never escapes the limit. Fallback keys carry a
 * prefix that no header value can hold, so a client cannot send a header naming someone else's
 * address to spend their budget. A key longer than {@value #MAX_KEY_CHARS} characters is treated
 * as missing: buckets hold their keys in memory, and a client choosing the header's value must not
 * choose their size too.
 *
 * <p>A {@code header:} key is only as good as whoever sets the header: a client that may set it
 * freely gets a fresh bucket per value. Use it for headers that a trusted party in front of the
 * gateway sets, or prefer {@code apiKey}/{@code subject}, which the auth filter has checked.
 */
public final class RateLimitKey {
  static final int MAX_KEY_CHARS = 256;
  /** NUL cannot occur in a header value (the request guard refuses control characters). */
  private static final String FALLBACK_PREFIX = "\0client:";

  private enum Kind { CLIENT, API_KEY, SUBJECT, HEADER }

  private final Kind kind;
  private final String header;

  private RateLimitKey(Kind kind, String header) {
    this.kind = kind;
    this.header = header;
  }

  /** From a validated {@code key} setting. */
  public static RateLimitKey parse(String key) {
    return switch (key) {
      case "client" -> new RateLimitKey(Kind.CLIENT, null);
      case "apiKey" -> new RateLimitKey(Kind.API_KEY, null);
      case "subject" -> new RateLimitKey(Kind.SUBJECT, null);
      default -> {
        if (!key.startsWith("header:") || key.length() == 7) {
          throw new IllegalArgumentException("rate limit key \"" + key + "\"");
        }
        yield new RateLimitKey(Kind.HEADER, key.substring(7));
      }
    };
  }

  /** The key of this request's bucket. */
  public String of(Exchange exchange) {
    String value = switch (kind) {
      case CLIENT -> {
        String address = exchange.clientAddress();
        yield address == null ? "" : address;
      }
      case API_KEY -> {
        Principal p = exchange.get(Principal.KEY);
        yield p == null ? null : p.apiKeyId();
      }
      case SUBJECT -> {
        Principal p = exchange.get(Principal.KEY);
        yield p == null ? null : p.subject();
      }
      case HEADER -> exchange.request().getHeader(header);
    };
    if (value == null || value.isEmpty() && kind != Kind.CLIENT || value.length() > MAX_KEY_CHARS) {
      String address = exchange.clientAddress();
      return FALLBACK_PREFIX + (address == null ? "" : address);
    }
    return value;
  }
}
