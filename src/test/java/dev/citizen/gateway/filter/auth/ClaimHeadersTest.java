package dev.citizen.gateway.filter.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.MultiMap;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimHeadersTest {

  @Test
  void scalarsListsAndDatesBecomeHeaderValues() {
    assertEquals("user-7", ClaimHeaders.format("user-7"));
    assertEquals("42", ClaimHeaders.format(42L));
    assertEquals("true", ClaimHeaders.format(true));
    assertEquals("1700000000", ClaimHeaders.format(new Date(1_700_000_000_000L)));
    assertEquals("a,b", ClaimHeaders.format(List.of("a", "b")));
  }

  @Test
  void valuesAHeaderCannotCarryAreLeftOut() {
    assertNull(ClaimHeaders.format("a\r\nX-Injected: 1"));
    assertNull(ClaimHeaders.format("Zoë"));
    assertNull(ClaimHeaders.format(Map.of("nested", "object")));
    assertNull(ClaimHeaders.format(List.of("a,b", "c")), "a comma inside an element would split it");
    assertNull(ClaimHeaders.format(""));
    assertNull(ClaimHeaders.format("x".repeat(1025)));
  }

  @Test
  void clientHeadersAreRemovedAndClaimsSet() {
    Map<String, String> mapping = new LinkedHashMap<>();
    mapping.put("sub", "X-User-Id");
    mapping.put("tenant", "X-Tenant");
    mapping.put("name", "X-User-Name");
    ClaimHeaders ch = new ClaimHeaders(mapping);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-user-id", "evil").add("X-Tenant", "evil")
        .add("X-TENANT", "evil2").add("Accept", "*/*");
    ch.removeFrom(headers);
    assertEquals(List.of(), headers.getAll("X-User-Id"));
    assertEquals(List.of(), headers.getAll("X-Tenant"));
    List<String> unsendable = ch.addTo(headers, Map.of("sub", "user-7", "name", "Zoë"));
    assertEquals("user-7", headers.get("X-User-Id"));
    assertNull(headers.get("X-Tenant"), "no claim, no header");
    assertNull(headers.get("X-User-Name"));
    assertEquals(List.of("name"), unsendable);
    assertEquals("*/*", headers.get("Accept"));
  }
}
