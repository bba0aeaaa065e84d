package dev.citizen.gateway.filter.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SMART on FHIR scope matching: what a granted scope covers, v1 and v2 alike. */
class SmartScopesTest {

  private static boolean covers(String required, String... granted) {
    return SmartScopes.covers(Set.of(granted), required);
  }

  @Test
  void exactMatchAlwaysCovers() {
    assertTrue(covers("patient/Observation.read", "patient/Observation.read"));
    assertTrue(covers("openid", "openid", "profile"));
    assertTrue(covers("launch/patient", "launch/patient"));
    assertTrue(covers("billing:read", "billing:read"));
    assertFalse(covers("billing:read", "billing:write"));
    assertFalse(covers("openid", "OPENID"), "scopes are case-sensitive");
  }

  @Test
  void aWildcardResourceTypeCoversEveryType() {
    assertTrue(covers("patient/Observation.read", "patient/*.read"));
    assertTrue(covers("patient/Condition.read", "patient/*.read"));
    assertFalse(covers("patient/*.read", "patient/Observation.read"), "one type does not cover all of them");
    assertTrue(covers("patient/*.read", "patient/*.read"));
  }

  @Test
  void v1WildcardPermissionCoversReadAndWrite() {
    assertTrue(covers("patient/Observation.read", "patient/*.*"));
    assertTrue(covers("patient/Observation.write", "patient/*.*"));
    assertTrue(covers("patient/Observation.*", "patient/Observation.*"));
    assertTrue(covers("patient/Observation.*", "patient/Observation.read", "patient/Observation.write"),
        "read (rs) and write (cud) together are everything");
  }

  @Test
  void v1ReadIsV2RsAndWriteIsCud() {
    assertTrue(covers("patient/Observation.read", "patient/*.rs"));
    assertTrue(covers("patient/Observation.read", "patient/Observation.cruds"));
    assertTrue(covers("patient/Observation.rs", "patient/Observation.read"));
    assertTrue(covers("patient/Observation.r", "patient/Observation.read"));
    assertTrue(covers("patient/Observation.cud", "patient/Observation.write"));
    assertFalse(covers("patient/Observation.read", "patient/Observation.r"), "read includes search");
    assertFalse(covers("patient/Observation.read", "patient/Observation.write"));
    assertFalse(covers("patient/Observation.c", "patient/Observation.read"));
  }

  @Test
  void permissionsOfSeveralGrantsAddUp() {
    assertTrue(covers("patient/Observation.rs", "patient/Observation.r", "patient/Observation.s"));
    assertTrue(covers("patient/Observation.rs", "patient/Observation.r", "patient/*.s"));
    assertFalse(covers("patient/Observation.rs", "patient/Observation.r", "patient/Condition.s"));
  }

  @Test
  void contextsNeverCoverEachOther() {
    assertFalse(covers("patient/Observation.read", "user/*.*"));
    assertFalse(covers("patient/Observation.read", "system/*.read"));
    assertFalse(covers("user/Observation.read", "patient/*.*"));
  }

  @Test
  void queryRestrictedGrantsCoverOnlyTheSameQuery() {
    assertFalse(covers("patient/Observation.rs", "patient/Observation.rs?category=laboratory"),
        "a restricted grant is narrower than an unrestricted need");
    assertTrue(covers("patient/Observation.rs?category=laboratory", "patient/Observation.rs?category=laboratory"));
    assertTrue(covers("patient/Observation.rs?category=laboratory", "patient/Observation.rs"));
    assertFalse(covers("patient/Observation.rs?category=vital-signs", "patient/Observation.rs?category=laboratory"));
  }

  @Test
  void malformedScopesOnlyMatchExactly() {
    assertNull(SmartScopes.parse("patient/Observation.sr"), "v2 letters must be in cruds order");
    assertNull(SmartScopes.parse("patient/Observation.rr"));
    assertNull(SmartScopes.parse("patient/Observation."));
    assertNull(SmartScopes.parse("patient/Observation.read?x=1"), "v1 had no queries");
    assertNull(SmartScopes.parse("clinic/Observation.read"));
    assertFalse(covers("patient/Observation.read", "patient/*.sr"));
    assertFalse(covers("patient/Observation.read", "patient/*.raed"));
    assertTrue(SmartScopes.isResourceScope("system/*.cruds"));
    assertFalse(SmartScopes.isResourceScope("patient/Observation.raed"));
  }

  @Test
  void missingListsTheRequiredScopesNotCoveredInOrder() {
    Set<String> granted = Set.of("openid", "patient/*.read");
    assertEquals(List.of(), SmartScopes.missing(granted, List.of("openid", "patient/Observation.read")));
    assertEquals(List.of("patient/Observation.write", "fhirUser"),
        SmartScopes.missing(granted, List.of("patient/Observation.write", "openid", "fhirUser")));
    assertEquals(List.of("openid"), SmartScopes.missing(Set.of(), List.of("openid")));
  }
}
