package dev.citizen.gateway.filter.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  @Test
  void hashIsLowerCaseHexSha256() {
    // echo -n test | sha256sum
    assertEquals("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", ApiKeys.hashHex("test"));
  }

  @Test
  void aPresentedKeyMatchesItsEntryByHashOnly() {
    ApiKeys keys = new ApiKeys(List.of("lab", "billing"),
        List.of(ApiKeys.hashHex("lab-key-0123456789"), ApiKeys.hashHex("billing-key-0123456789").toUpperCase()));
    assertEquals("lab", keys.match("lab-key-0123456789"));
    assertEquals("billing", keys.match("billing-key-0123456789"), "upper-case hex works too");
    assertNull(keys.match("lab-key-012345678"));
    assertNull(keys.match(""));
    assertNull(keys.match(ApiKeys.hashHex("lab-key-0123456789")), "the hash itself is not a key");
  }

  @Test
  void bearerTokensAreParsedCaseInsensitively() {
    assertEquals("abc", AuthFilter.bearerToken("Bearer abc"));
    assertEquals("abc", AuthFilter.bearerToken("bearer   abc "));
    assertEquals("", AuthFilter.bearerToken("Bearer"));
    assertEquals("", AuthFilter.bearerToken("Bearer "));
    assertNull(AuthFilter.bearerToken("Basic dXNlcjpwYXNz"));
    assertNull(AuthFilter.bearerToken("Bearerabc"));
    assertNull(AuthFilter.bearerToken(""));
  }
}
