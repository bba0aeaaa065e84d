package dev.citizen.gateway.filter.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the JWKS cache fetches, with a fake clock and a fetcher the test completes by hand. */
class JwksCacheTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long REFRESH = 300 * SECOND;

  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
  private final List<Promise<String>> fetches = new ArrayList<>();
  private final JwksCache cache = new JwksCache("https://idp.test/jwks", () -> {
    Promise<String> p = Promise.promise();
    fetches.add(p);
    return p.future();
  }, clock::get);

  private final TestTokens.Signer a = TestTokens.ed25519("a");
  private final TestTokens.Signer b = TestTokens.ed25519("b");

  @Test
  void requestsThatArriveDuringTheFirstFetchShareIt() {
    Future<KeySet> first = cache.keys(REFRESH);
    Future<KeySet> second = cache.keys(REFRESH);
    assertEquals(1, fetches.size());
    assertFalse(first.isComplete());
    fetches.get(0).complete(TestTokens.jwks(a));
    assertTrue(first.result().hasKid("a"));
    assertSame(first.result(), second.result());
    assertSame(first.result(), cache.keys(REFRESH).result(), "fresh keys come from the cache");
    assertEquals(1, cache.fetches());
  }

  @Test
  void staleKeysServeWhileOneRefreshRuns() {
    cache.keys(REFRESH);
    fetches.get(0).complete(TestTokens.jwks(a));
    clock.addAndGet(REFRESH + SECOND);
    KeySet stale = cache.keys(REFRESH).result();
    assertNotNull(stale, "no request waits for a refresh");
    assertTrue(stale.hasKid("a"));
    cache.keys(REFRESH);
    assertEquals(2, fetches.size(), "one refresh, not one per request");
    fetches.get(1).complete(TestTokens.jwks(b));
    assertTrue(cache.keys(REFRESH).result().hasKid("b"));
  }

  @Test
  void unknownKidRefetchesAtMostOncePerTenSeconds() {
    cache.keys(REFRESH);
    fetches.get(0).complete(TestTokens.jwks(a));
    KeySet seen = cache.keys(REFRESH).result();

    Future<KeySet> r1 = cache.refetch(seen);
    Future<KeySet> r2 = cache.refetch(seen);
    assertEquals(2, fetches.size(), "concurrent asks share one fetch");
    fetches.get(1).complete(TestTokens.jwks(a, b));
    assertTrue(r1.result().hasKid("b"));
    assertSame(r1.result(), r2.result());

    // A flood of made-up key ids within the next 10 s fetches nothing more.
    KeySet now = r1.result();
    for (int i = 0; i < 1000; i++) {
      clock.addAndGet(SECOND / 200);
      assertSame(now, cache.refetch(now).result());
    }
    assertEquals(2, fetches.size());
    clock.addAndGet(5 * SECOND); // 10 s after the last forced fetch
    cache.refetch(now);
    assertEquals(3, fetches.size());
  }

  @Test
  void aTokenCheckedAgainstAnOlderSetGetsTheNewerOneWithoutAFetch() {
    cache.keys(REFRESH);
    fetches.get(0).complete(TestTokens.jwks(a));
    KeySet old = cache.keys(REFRESH).result();
    cache.refetch(old);
    fetches.get(1).complete(TestTokens.jwks(a, b));
    KeySet newer = cache.refetch(old).result();
    assertTrue(newer.hasKid("b"));
    assertEquals(2, fetches.size());
  }

  @Test
  void failedFetchesKeepTheOldKeysAndBackOffTenSeconds() {
    cache.keys(REFRESH);
    fetches.get(0).complete(TestTokens.jwks(a));
    clock.addAndGet(REFRESH + SECOND);
    cache.keys(REFRESH);
    fetches.get(1).fail("connection refused");
    KeySet still = cache.keys(REFRESH).result();
    assertTrue(still.hasKid("a"), "the previous keys stay in use");
    assertEquals(2, fetches.size(), "no new try right after a failure");
    cache.refetch(still);
    assertEquals(2, fetches.size(), "not even for an unknown kid");
    clock.addAndGet(10 * SECOND);
    cache.keys(REFRESH);
    assertEquals(3, fetches.size());
  }

  @Test
  void withoutAnyKeysTheAnswerIsNullUntilAFetchSucceeds() {
    Future<KeySet> first = cache.keys(REFRESH);
    fetches.get(0).fail("connection refused");
    assertNull(first.result());
    assertNull(cache.keys(REFRESH).result());
    assertEquals(1, fetches.size());
    clock.addAndGet(10 * SECOND);
    Future<KeySet> later = cache.keys(REFRESH);
    fetches.get(1).complete(TestTokens.jwks(a));
    assertTrue(later.result().hasKid("a"));
  }

  @Test
  void aDocumentThatIsNoJwkSetOrHasNoUsableKeyIsAFailedFetch() {
    Future<KeySet> first = cache.keys(REFRESH);
    fetches.get(0).complete("<html>login</html>");
    assertNull(first.result());
    clock.addAndGet(10 * SECOND);
    Future<KeySet> second = cache.keys(REFRESH);
    fetches.get(1).complete("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}");
    assertNull(second.result(), "a symmetric key is never used");
  }
}
