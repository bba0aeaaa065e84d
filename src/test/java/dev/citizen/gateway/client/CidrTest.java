package dev.citizen.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CidrTest {

  private static boolean in(String cidr, String address) {
    return Cidr.parse(cidr).contains(IpAddress.parse(address));
  }

  @Test
  void ipv4Networks() {
    assertTrue(in("10.0.0.0/8", "10.255.1.2"));
    assertFalse(in("10.0.0.0/8", "11.0.0.0"));
    assertTrue(in("192.168.1.0/24", "192.168.1.255"));
    assertFalse(in("192.168.1.0/24", "192.168.2.0"));
    assertTrue(in("172.16.0.0/12", "172.31.255.255"));
    assertFalse(in("172.16.0.0/12", "172.32.0.0"));
  }

  @Test
  void edgePrefixes() {
    assertTrue(in("0.0.0.0/0", "255.255.255.255"));
    assertTrue(in("0.0.0.0/0", "0.0.0.0"));
    assertTrue(in("192.0.2.7/32", "192.0.2.7"));
    assertFalse(in("192.0.2.7/32", "192.0.2.6"));
    assertTrue(in("192.0.2.7", "192.0.2.7"), "an address is a /32");
    assertEquals(32, Cidr.parse("192.0.2.7").prefix());
    assertTrue(in("128.0.0.0/1", "200.0.0.1"));
    assertFalse(in("128.0.0.0/1", "127.255.255.255"));
    assertTrue(in("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    assertTrue(in("::/0", "::"));
    assertTrue(in("::1/128", "0:0:0:0:0:0:0:1"));
    assertFalse(in("::1/128", "::2"));
    assertEquals(128, Cidr.parse("::1").prefix());
    assertTrue(in("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff"));
    assertFalse(in("2001:db8::/64", "2001:db8:0:1::"));
    assertTrue(in("2001:db8::/63", "2001:db8:0:1::"));
    assertTrue(in("2001:db8::/65", "2001:db8::7fff:ffff:ffff:ffff"));
    assertFalse(in("2001:db8::/65", "2001:db8::8000:0:0:0"));
    assertTrue(in("8000::/1", "ffff::"));
    assertFalse(in("8000::/1", "7fff::"));
    assertTrue(in("2001:db8::/127", "2001:db8::1"));
    assertFalse(in("2001:db8::/127", "2001:db8::2"));
  }

  @Test
  void ipv6Networks() {
    assertTrue(in("2001:db8::/32", "2001:db8:ffff::1"));
    assertFalse(in("2001:db8::/32", "2001:db9::1"));
    assertTrue(in("fd00::/8", "fdab:cdef::1"));
  }

  @Test
  void familiesStayApartButMappedAddressesAreIpv4() {
    assertTrue(in("10.0.0.0/8", "::ffff:10.1.2.3"), "a mapped address is its IPv4 address");
    assertFalse(in("::/0", "10.1.2.3"), "::/0 is every IPv6 client, not every client");
    assertFalse(in("0.0.0.0/0", "::1"));
    Cidr mapped = Cidr.parse("::ffff:10.0.0.0/104");
    assertTrue(mapped.isV4());
    assertEquals(Cidr.parse("10.0.0.0/8"), mapped);
    assertTrue(mapped.contains(IpAddress.parse("10.9.9.9")));
    assertEquals("10.0.0.0/8", mapped.toString());
  }

  @Test
  void badNetworksSayWhatWasExpected() {
    assertEquals("expected: a prefix length of 0..32 after /",
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33")).getMessage());
    assertEquals("expected: a prefix length of 0..128 after /",
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::/129")).getMessage());
    assertEquals("host bits set; expected: 10.0.0.0/8",
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.1/8")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:10.0.0.0/80")).getMessage()
        .contains("IPv4-mapped"));
    for (String bad : List.of("", "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/-1", "10.0.0.0/8/8", "example.org/24",
        "10.0.0/24", "10.0.0.0 /8", "/8", "::1%lo/128")) {
      assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
    }
  }

  @Test
  void setMatchesLikeItsNetworksOneByOne() {
    // A compiled set must agree with checking every network in turn, for mixed prefixes and families.
    Random random = new Random(42);
    List<Cidr> cidrs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      if (random.nextBoolean()) {
        int prefix = random.nextInt(33);
        cidrs.add(Cidr.of(IpAddress.v4(random.nextInt()), prefix));
      } else {
        int prefix = random.nextInt(129);
        cidrs.add(Cidr.of(IpAddress.v6(0x20010db800000000L | (random.nextLong() & 0xffffffffL), random.nextLong()),
            prefix));
      }
    }
    CidrSet set = CidrSet.of(cidrs);
    int hits = 0;
    for (int i = 0; i < 20_000; i++) {
      IpAddress a;
      Cidr near = cidrs.get(random.nextInt(cidrs.size()));
      if (random.nextInt(3) == 0) { // an address inside some network, or just beside it
        a = near.v4 ? IpAddress.v4(near.lo + random.nextInt(3) - 1) : IpAddress.v6(near.hi, near.lo + random.nextInt(3) - 1);
      } else {
        a = random.nextBoolean() ? IpAddress.v4(random.nextInt())
            : IpAddress.v6(0x20010db800000000L | (random.nextLong() & 0xffffffffL), random.nextLong());
      }
      boolean expected = cidrs.stream().anyMatch(c -> c.contains(a));
      assertEquals(expected, set.contains(a), a::toString);
      hits += expected ? 1 : 0;
    }
    assertTrue(hits > 1000, "the sample tested matches too: " + hits);
  }

  @Test
  void setOfSingleAddressesAndNetworks() {
    CidrSet set = CidrSet.parse(List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "::1"));
    assertTrue(set.contains("10.2.3.4"));
    assertTrue(set.contains("192.0.2.7"));
    assertFalse(set.contains("192.0.2.8"));
    assertTrue(set.contains("2001:db8::5"));
    assertTrue(set.contains("0:0:0:0:0:0:0:1"));
    assertTrue(set.contains("::ffff:10.0.0.1"));
    assertFalse(set.contains("::2"));
    assertFalse(set.contains("not an address"));
    assertFalse(set.contains((String) null));
    assertTrue(CidrSet.EMPTY.isEmpty());
    assertFalse(CidrSet.EMPTY.contains("10.0.0.1"));
  }
}
