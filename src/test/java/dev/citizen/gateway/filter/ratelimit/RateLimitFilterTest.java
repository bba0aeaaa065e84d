package dev.citizen.gateway.filter.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Next;
import dev.citizen.gateway.filter.Response;
import dev.citizen.gateway.filter.TestExchanges;
import dev.citizen.gateway.filter.auth.Principal;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The filter with a fake Next and clock: 429 and its headers, keys, and a failing store. */
@Timeout(10)
class RateLimitFilterTest {
  private static final long MS = 1_000_000;

  private final AtomicLong clock = new AtomicLong(1_000 * MS);
  private final AtomicInteger forwarded = new AtomicInteger();
  private final Next upstream = ex -> {
    forwarded.incrementAndGet();
    return Future.succeededFuture(Response.buffered(200, MultiMap.caseInsensitiveMultiMap(), null));
  };

  private RateLimitFilter filter(int requests, Duration per, String key) {
    RateLimit limit = new RateLimit("r/" + key, requests, per, 0);
    return new RateLimitFilter(new InMemoryRateLimiter(limit, 1000), RateLimitKey.parse(key), clock::get);
  }

  private static Exchange from(String address) {
    return TestExchanges.exchange("GET", Map.of(), address);
  }

  private static Response run(RateLimitFilter f, Exchange ex, Next next) {
    return f.handle(ex, next).result();
  }

  @Test
  void passesWithRateLimitHeadersThenRefusesWith429AndRetryAfter() {
    RateLimitFilter f = filter(2, Duration.ofSeconds(3), "client");
    Response first = run(f, from("10.0.0.1"), upstream);
    assertEquals(200, first.status());
    assertEquals("2", first.headers().get("RateLimit-Limit"));
    assertEquals("1", first.headers().get("RateLimit-Remaining"));
    assertEquals("2", first.headers().get("RateLimit-Reset"), "1.5 s rounds up to 2");
    Response second = run(f, from("10.0.0.1"), upstream);
    assertEquals("0", second.headers().get("RateLimit-Remaining"));
    assertEquals("3", second.headers().get("RateLimit-Reset"));
    Response third = run(f, from("10.0.0.1"), upstream);
    assertEquals(429, third.status());
    assertEquals("rate_limited", third.problem().code());
    assertEquals("2", third.headers().get("Retry-After"), "1.5 s until a token is back, rounded up");
    assertEquals("2", third.headers().get("RateLimit-Limit"));
    assertEquals("0", third.headers().get("RateLimit-Remaining"));
    assertEquals("3", third.headers().get("RateLimit-Reset"));
    assertEquals(2, forwarded.get(), "a refused request never reaches the service");
    clock.addAndGet(1500 * MS);
    assertEquals(200, run(f, from("10.0.0.1"), upstream).status());
  }

  @Test
  void retryAfterIsNeverZeroForARefusal() {
    RateLimitFilter f = filter(1000, Duration.ofSeconds(1), "client");
    for (int i = 0; i < 1000; i++) {
      run(f, from("10.0.0.1"), upstream);
    }
    Response refused = run(f, from("10.0.0.1"), upstream);
    assertEquals(429, refused.status());
    assertEquals("1", refused.headers().get("Retry-After"), "1 ms to wait is announced as 1 s, never 0");
  }

  @Test
  void clientsAreCountedApart() {
    RateLimitFilter f = filter(1, Duration.ofMinutes(1), "client");
    assertEquals(200, run(f, from("10.0.0.1"), upstream).status());
    assertEquals(429, run(f, from("10.0.0.1"), upstream).status());
    assertEquals(200, run(f, from("10.0.0.2"), upstream).status());
  }

  @Test
  void anApiKeyLimitCountsThePrincipalsKeyWhereverItComesFrom() {
    RateLimitFilter f = filter(1, Duration.ofMinutes(1), "apiKey");
    Exchange a = from("10.0.0.1");
    a.put(Principal.KEY, new Principal(null, "key-a", Set.of(), Map.of()));
    assertEquals(200, run(f, a, upstream).status());
    Exchange sameKeyOtherAddress = from("10.0.0.9");
    sameKeyOtherAddress.put(Principal.KEY, new Principal(null, "key-a", Set.of(), Map.of()));
    assertEquals(429, run(f, sameKeyOtherAddress, upstream).status());
    Exchange b = from("10.0.0.1");
    b.put(Principal.KEY, new Principal(null, "key-b", Set.of(), Map.of()));
    assertEquals(200, run(f, b, upstream).status(), "another key, same address: its own bucket");
  }

  @Test
  void aSubjectLimitCountsTheJwtSubject() {
    RateLimitFilter f = filter(1, Duration.ofMinutes(1), "subject");
    Exchange alice = from("10.0.0.1");
    alice.put(Principal.KEY, new Principal("alice", null, Set.of(), Map.of()));
    assertEquals(200, run(f, alice, upstream).status());
    Exchange aliceAgain = from("10.0.0.2");
    aliceAgain.put(Principal.KEY, new Principal("alice", null, Set.of(), Map.of()));
    assertEquals(429, run(f, aliceAgain, upstream).status());
  }

  @Test
  void withoutAPrincipalTheClientAddressIsTheKey() {
    RateLimitFilter f = filter(1, Duration.ofMinutes(1), "subject");
    assertEquals(200, run(f, from("10.0.0.1"), upstream).status());
    assertEquals(429, run(f, from("10.0.0.1"), upstream).status());
    assertEquals(200, run(f, from("10.0.0.2"), upstream).status());
  }

  @Test
  void aStoreThatFailsLetsRequestsThroughWithoutHeaders() {
    RateLimiter broken = (key, now) -> Future.failedFuture(new IllegalStateException("store down"));
    RateLimitFilter f = new RateLimitFilter(broken, RateLimitKey.parse("client"), clock::get);
    Response r = run(f, from("10.0.0.1"), upstream);
    assertEquals(200, r.status());
    assertNull(r.headers().get("RateLimit-Limit"));
  }

  @Test
  void aStoreThatAnswersLaterIsWaitedFor() {
    Promise<Decision> later = Promise.promise();
    RateLimitFilter f = new RateLimitFilter((key, now) -> later.future(), RateLimitKey.parse("client"), clock::get);
    Future<Response> r = f.handle(from("10.0.0.1"), upstream);
    assertFalse(r.isComplete());
    later.complete(new Decision(false, 10, 0, 4 * MS, 2 * MS));
    assertEquals(429, r.result().status());
    assertEquals("1", r.result().headers().get("Retry-After"));
    assertEquals(0, forwarded.get());
  }

  @Test
  void secondsRoundUp() {
    assertEquals(0, RateLimitFilter.seconds(0));
    assertEquals(1, RateLimitFilter.seconds(1));
    assertEquals(1, RateLimitFilter.seconds(1_000_000_000));
    assertEquals(2, RateLimitFilter.seconds(1_000_000_001));
  }
}
