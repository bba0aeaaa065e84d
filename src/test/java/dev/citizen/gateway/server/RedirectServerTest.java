package dev.citizen.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.net.HostAndPort;
import org.junit.jupiter.api.Test;

/** The Location of the plain-HTTP listener's redirects. */
class RedirectServerTest {
  @Test
  void theTlsPortIsLeftOutWhenItIs443() {
    assertEquals("https://example.org/a?b=1",
        RedirectServer.location(HostAndPort.create("example.org", 80), null, 443, "/a", "b=1"));
    assertEquals("https://example.org:8443/a",
        RedirectServer.location(HostAndPort.create("example.org", 8080), null, 8443, "/a", null));
  }

  @Test
  void withoutAHostTheLocalAddressIsUsedAndIpv6IsBracketed() {
    assertEquals("https://10.0.0.1:8443/", RedirectServer.location(null, "10.0.0.1", 8443, "/", null));
    assertEquals("https://[::1]:8443/x", RedirectServer.location(null, "::1", 8443, "/x", null));
    assertEquals("https://[::1]/x", RedirectServer.location(HostAndPort.create("[::1]", 80), null, 443, "/x", null));
  }

  @Test
  void oddTargetsAndHostsAreNotEchoed() {
    assertEquals("https://h/", RedirectServer.location(HostAndPort.create("h", 80), null, 443, "*", null),
        "OPTIONS * has no path to keep");
    assertNull(RedirectServer.location(HostAndPort.create("a b", 80), null, 443, "/", null));
    assertNull(RedirectServer.location(null, null, 443, "/", null));
  }
}
