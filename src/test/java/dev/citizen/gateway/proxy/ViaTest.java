package dev.citizen.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.Test;

class ViaTest {
  private final Via via = new Via("citizen-0a1b2c3d4e5f");

  @Test
  void entryNamesTheProtocolTheRequestCameIn() {
    assertEquals("1.1 citizen-0a1b2c3d4e5f", via.entry(HttpVersion.HTTP_1_1));
    assertEquals("1.0 citizen-0a1b2c3d4e5f", via.entry(HttpVersion.HTTP_1_0));
    assertEquals("2 citizen-0a1b2c3d4e5f", via.entry(HttpVersion.HTTP_2));
  }

  @Test
  void ownEntryAnywhereInTheListIsALoop() {
    assertTrue(via.names("1.1 citizen-0a1b2c3d4e5f"));
    assertTrue(via.names("1.0 corp-proxy, 1.1 citizen-0a1b2c3d4e5f"));
    assertTrue(via.names("1.1 citizen-0a1b2c3d4e5f, 1.1 lb.example (nginx)"));
    assertTrue(via.names("HTTP/1.1 citizen-0a1b2c3d4e5f (a comment)"));
    assertTrue(via.names("1.0 a,2 citizen-0a1b2c3d4e5f"));
  }

  @Test
  void otherGatewaysCommentsAndLookAlikesAreNot() {
    assertFalse(via.names("1.1 citizen-ffffffffffff"), "another instance");
    assertFalse(via.names("1.1 citizen-0a1b2c3d4e5f00"), "a longer pseudonym");
    assertFalse(via.names("1.1 xcitizen-0a1b2c3d4e5f"), "a longer pseudonym");
    assertFalse(via.names("1.1 proxy (saw citizen-0a1b2c3d4e5f)"), "in a comment");
    assertFalse(via.names("1.1 proxy (citizen-0a1b2c3d4e5f)"), "in a comment");
    assertFalse(via.names("citizen-0a1b2c3d4e5f"), "no protocol");
    assertFalse(via.names(""));
  }

  @Test
  void everyViaLineIsRead() {
    MultiMap h = HttpHeaders.headers().add("Via", "1.0 corp-proxy").add("via", "1.1 citizen-0a1b2c3d4e5f");
    assertTrue(via.loopedBack(h));
    assertFalse(via.loopedBack(HttpHeaders.headers().add("Via", "1.0 corp-proxy")));
    assertFalse(via.loopedBack(HttpHeaders.headers()));
  }

  @Test
  void eachInstanceHasAPseudonymOfItsOwn() {
    Via a = Via.random();
    Via b = Via.random();
    assertNotEquals(a.pseudonym(), b.pseudonym());
    assertTrue(a.pseudonym().matches("citizen-[0-9a-f]{12}"), a.pseudonym());
    assertFalse(a.names(b.entry(HttpVersion.HTTP_1_1)));
  }
}
