package dev.citizen.gateway.filter.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.TestExchanges;
import dev.citizen.gateway.filter.auth.Principal;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a bucket is keyed by, and the client-address fallback. */
class RateLimitKeyTest {

  @Test
  void clientIsTheClientAddress() {
    assertEquals("10.0.0.1", RateLimitKey.parse("client").of(TestExchanges.exchange("GET", Map.of(), "10.0.0.1")));
  }

  @Test
  void aHeaderKeyIsTheHeadersValue() {
    Exchange ex = TestExchanges.exchange("GET", Map.of("x-tenant", "acme"), "10.0.0.1");
    assertEquals("acme", RateLimitKey.parse("header:X-Tenant").of(ex));
  }

  @Test
  void aMissingHeaderFallsBackToTheClientAddressInBucketsOfItsOwn() {
    RateLimitKey key = RateLimitKey.parse("header:X-Tenant");
    String fallback = key.of(TestExchanges.exchange("GET", Map.of(), "10.0.0.1"));
    String spoofed = key.of(TestExchanges.exchange("GET", Map.of("X-Tenant", "10.0.0.1"), "10.0.0.2"));
    assertNotEquals(fallback, spoofed, "a header naming an address must not spend that address's budget");
    assertEquals(fallback, key.of(TestExchanges.exchange("GET", Map.of("X-Tenant", ""), "10.0.0.1")));
  }

  @Test
  void anOverlongValueCountsAsMissing() {
    RateLimitKey key = RateLimitKey.parse("header:X-Tenant");
    String fallback = key.of(TestExchanges.exchange("GET", Map.of(), "10.0.0.1"));
    String longValue = "a".repeat(RateLimitKey.MAX_KEY_CHARS + 1);
    assertEquals(fallback, key.of(TestExchanges.exchange("GET", Map.of("X-Tenant", longValue), "10.0.0.1")));
    String justFits = "a".repeat(RateLimitKey.MAX_KEY_CHARS);
    assertEquals(justFits, key.of(TestExchanges.exchange("GET", Map.of("X-Tenant", justFits), "10.0.0.1")));
  }

  @Test
  void principalKeys() {
    Exchange ex = TestExchanges.exchange("GET", Map.of(), "10.0.0.1");
    ex.put(Principal.KEY, new Principal("alice", "key-7", Set.of(), Map.of()));
    assertEquals("alice", RateLimitKey.parse("subject").of(ex));
    assertEquals("key-7", RateLimitKey.parse("apiKey").of(ex));
    Exchange jwtOnly = TestExchanges.exchange("GET", Map.of(), "10.0.0.1");
    jwtOnly.put(Principal.KEY, new Principal("alice", null, Set.of(), Map.of()));
    assertEquals(RateLimitKey.parse("apiKey").of(TestExchanges.exchange("GET", Map.of(), "10.0.0.1")),
        RateLimitKey.parse("apiKey").of(jwtOnly), "a JWT principal has no API key: the address counts");
  }

  @Test
  void unknownKindsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> RateLimitKey.parse("header:"));
    assertThrows(IllegalArgumentException.class, () -> RateLimitKey.parse("ip"));
  }
}
