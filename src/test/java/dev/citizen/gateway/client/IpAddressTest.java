package dev.citizen.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpAddressTest {

  @Test
  void textIsTheFormTheJdkWritesForAPeer() throws Exception {
    // The JDK parses these without a lookup because they are literals; its text is what Vert.x
    // gives for a socket's peer, so an address from X-Forwarded-For must come out the same.
    for (String literal : List.of("192.0.2.1", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::1",
        "2001:DB8:0:0:8:800:200C:417A", "fe80::1:2", "1::", "1:2:3:4:5:6:7:8", "::2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::", "2001:db8::192.0.2.33", "64:ff9b::192.0.2.1", "::0.0.1.0")) {
      assertEquals(InetAddress.getByName(literal).getHostAddress(), IpAddress.parse(literal).toString(), literal);
    }
  }

  @Test
  void ipv4MappedIpv6IsTheIpv4Address() {
    IpAddress mapped = IpAddress.parse("::ffff:192.0.2.1");
    assertTrue(mapped.isV4());
    assertEquals(IpAddress.parse("192.0.2.1"), mapped);
    assertEquals("192.0.2.1", mapped.toString());
    assertEquals(IpAddress.parse("192.0.2.1"), IpAddress.parse("0:0:0:0:0:ffff:c000:201"));
    // IPv4-compatible (deprecated) and NAT64 addresses stay IPv6.
    assertFalse(IpAddress.parse("::192.0.2.1").isV4());
    assertFalse(IpAddress.parse("64:ff9b::192.0.2.1").isV4());
  }

  @Test
  void onlyLiteralsParse() {
    for (String bad : List.of("", " ", "localhost", "example.org", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-1",
        "01.2.3.4", "1.2.3.04", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4:80", "[::1]", "::1%eth0", ":::",
        "1:::2", "1::2::3", ":1", "1:", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "12345::", "g::1",
        "::ffff:1.2.3", "1.2.3.4::", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "unknown", "_hidden",
        "\u0661.2.3.4", "::\u0661", "0x7f.0.0.1", "2130706433")) {
      assertNull(IpAddress.parse(bad), bad);
    }
    assertNull(IpAddress.parse(null));
  }

  @Test
  void parsesASliceOfText() {
    String s = "for=192.0.2.60;by";
    assertEquals("192.0.2.60", IpAddress.parse(s, 4, 14).toString());
    assertNull(IpAddress.parse(s, 4, 15));
  }
}
