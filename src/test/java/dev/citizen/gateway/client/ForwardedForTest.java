package dev.citizen.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedForTest {
  private static final CidrSet TRUSTED = CidrSet.parse(List.of("10.0.0.0/8", "2001:db8:1::/48"));
  private static final String PEER = "10.0.0.1";

  private static String client(String... lines) {
    return ForwardedFor.client(PEER, List.of(lines), TRUSTED);
  }

  @Test
  void rightMostUntrustedWins() {
    assertEquals("203.0.113.7", client("203.0.113.7"));
    // The client made up the left-most entry; the trusted proxy appended the real one.
    assertEquals("203.0.113.7", client("6.6.6.6, 203.0.113.7"));
    assertEquals("203.0.113.7", client("6.6.6.6, 203.0.113.7, 10.1.2.3, 10.4.5.6"));
    assertEquals("2001:db8:2:0:0:0:0:7", client("2001:db8:2::7, 2001:db8:1::1"));
  }

  @Test
  void allTrustedMeansTheLeftMost() {
    assertEquals("10.9.9.9", client("10.9.9.9, 10.1.1.1"));
  }

  @Test
  void linesAreOneList() {
    assertEquals("203.0.113.7", client("6.6.6.6", "203.0.113.7, 10.1.1.1", "10.2.2.2"));
    assertEquals("6.6.6.6", client("6.6.6.6", "10.1.1.1"));
  }

  @Test
  void emptyEntriesAndSpacesAreSkipped() {
    assertEquals("203.0.113.7", client(" 203.0.113.7 ,, \t,10.1.1.1 , "));
    assertEquals(PEER, client(""), "nothing but the empty string: the peer");
    assertEquals(PEER, client(" , "));
  }

  @Test
  void portsAndBracketsAreIgnored() {
    assertEquals("203.0.113.7", client("203.0.113.7:51234"));
    assertEquals("2001:db8:2:0:0:0:0:7", client("[2001:db8:2::7]:443"));
    assertEquals("2001:db8:2:0:0:0:0:7", client("[2001:db8:2::7]"));
    assertEquals("203.0.113.7", client("[::ffff:203.0.113.7]"));
    assertEquals("203.0.113.7", client("::ffff:203.0.113.7"), "mapped: the IPv4 client");
  }

  @Test
  void aMalformedEntryStopsTheWalkAtTheLastTrustedHop() {
    assertEquals(PEER, client("unknown"), "nothing to the right of it to believe but the peer");
    assertEquals(PEER, client("203.0.113.7, garbage"));
    assertEquals("10.1.1.1", client("203.0.113.7, _hidden, 10.1.1.1"), "the proxy that passed the garbage on");
    assertEquals(PEER, client("203.0.113.7:port"));
    assertEquals(PEER, client("[2001:db8::1"));
    assertEquals(PEER, client("2001:db8::1:80:x"));
    assertEquals(PEER, client("1.2.3.4:99999999"));
    // Left of an untrusted client nothing is read at all, garbage included.
    assertEquals("203.0.113.7", client("garbage, 203.0.113.7"));
  }

  @Test
  void chainIsTheVerifiedPart() {
    assertEquals("203.0.113.7, 10.1.1.1, 10.0.0.1",
        ForwardedFor.chain(List.of("6.6.6.6, 203.0.113.7, 10.1.1.1"), "203.0.113.7", PEER));
    assertEquals("203.0.113.7, 10.1.1.1, 10.2.2.2, 10.0.0.1",
        ForwardedFor.chain(List.of("6.6.6.6", "203.0.113.7 , 10.1.1.1", " 10.2.2.2 "), "203.0.113.7", PEER));
    assertEquals("[2001:db8:2::7]:443, 10.0.0.1",
        ForwardedFor.chain(List.of("[2001:db8:2::7]:443"), "2001:db8:2:0:0:0:0:7", PEER), "as received");
    assertEquals("10.1.1.1, 10.0.0.1",
        ForwardedFor.chain(List.of("203.0.113.7, _hidden, 10.1.1.1"), "10.1.1.1", PEER));
    assertSame(PEER, ForwardedFor.chain(List.of("6.6.6.6"), PEER, PEER), "the peer is the client: just the peer");
    assertSame(PEER, ForwardedFor.chain(List.of(), "203.0.113.7", PEER));
  }

  @Test
  void untrustedPeerOrNoTrustedProxiesMeansThePeer() {
    MultiMap spoofed = MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", "6.6.6.6");
    String peer = new String("203.0.113.9");
    assertSame(peer, ClientAddresses.NONE.resolve(peer, spoofed), "no trusted proxies: the peer, unchanged");
    ClientAddresses trusted = ClientAddresses.of(List.of("10.0.0.0/8"));
    assertSame(peer, trusted.resolve(peer, spoofed), "an untrusted peer's X-Forwarded-For is not believed");
    assertEquals("6.6.6.6", trusted.resolve("10.0.0.1", spoofed));
    String proxy = new String("10.0.0.1");
    assertSame(proxy, trusted.resolve(proxy, MultiMap.caseInsensitiveMultiMap()), "a trusted peer without XFF");
    assertNull(trusted.resolve(null, spoofed));
  }

  @Test
  void trustedPeersIncludeLinkLocalOnesWithAZone() {
    ClientAddresses trusted = ClientAddresses.of(List.of("fe80::/10", "::1"));
    assertEquals(true, trusted.isTrusted("fe80:0:0:0:0:0:0:1%eth0"));
    assertEquals(true, trusted.isTrusted("0:0:0:0:0:0:0:1"));
    assertEquals(false, trusted.isTrusted("0:0:0:0:0:0:0:2"));
    assertEquals("203.0.113.7", trusted.resolve("fe80:0:0:0:0:0:0:1%eth0",
        MultiMap.caseInsensitiveMultiMap().add("x-forwarded-for", "203.0.113.7")));
  }
}
