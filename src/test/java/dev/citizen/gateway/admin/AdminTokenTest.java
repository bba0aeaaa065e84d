package dev.citizen.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AdminTokenTest {
  private static final String TOKEN = "0123456789abcdef-admin";

  @Test
  void acceptsOnlyTheBearerTokenInForce() {
    AdminToken t = new AdminToken(() -> TOKEN, null);
    assertTrue(t.accepts("Bearer " + TOKEN));
    assertTrue(t.accepts("bearer " + TOKEN));
    assertFalse(t.accepts(TOKEN), "the scheme is required");
    assertFalse(t.accepts("Basic " + TOKEN));
    assertFalse(t.accepts("Bearer " + TOKEN + "x"));
    assertFalse(t.accepts("Bearer " + TOKEN.substring(1)));
    assertFalse(t.accepts("Bearer "));
    assertFalse(t.accepts(null));
  }

  @Test
  void theConfigWinsOverTheEnvironmentAndAReloadRotatesIt() {
    AtomicReference<String> configured = new AtomicReference<>();
    AdminToken t = new AdminToken(configured::get, "environment-token-0123");
    assertTrue(t.accepts("Bearer environment-token-0123"));
    configured.set(TOKEN);
    assertTrue(t.accepts("Bearer " + TOKEN));
    assertFalse(t.accepts("Bearer environment-token-0123"));
  }

  @Test
  void withNeitherTheAdminApiIsLocked() {
    AdminToken t = new AdminToken(() -> null, "");
    assertTrue(t.locked());
    assertFalse(t.accepts("Bearer "));
    assertFalse(t.accepts("Bearer null"));
  }

  @Test
  void aShortEnvironmentTokenIsAProblemNamingTheVariable() {
    assertTrue(new AdminToken(() -> null, "short").envProblem().startsWith("CITIZEN_ADMIN_TOKEN: 5 characters"));
    assertNull(new AdminToken(() -> null, null).envProblem());
    assertNull(new AdminToken(() -> null, TOKEN).envProblem());
  }
}
