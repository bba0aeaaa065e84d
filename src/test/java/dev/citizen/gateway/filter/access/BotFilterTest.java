package dev.citizen.gateway.filter.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.config.ClientAccessConfig;
import dev.citizen.gateway.filter.Filter;
import dev.citizen.gateway.filter.Response;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BotFilterTest {
  private final BotFilter filter = (BotFilter) BotFilter.forRoute(
      new ClientAccessConfig(null, null, true, List.of("BadBot", "ünïcode-scanner"))).orElseThrow();

  @Test
  void knownToolsAreRefusedWhateverTheCase() {
    for (String ua : List.of("sqlmap/1.7.2#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None)",
        "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", "masscan/1.3",
        "Mozilla/5.0 zgrab/0.x", "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
        "WPScan v3.8.22 (https://wpscan.com/wordpress-security-scanner)", "DirBuster-1.0-RC1", "gobuster/3.6",
        "Fuzz Faster U Fool v2.1.0", "ffuf", "Acunetix-Product", "Nessus SOAP", "OpenVAS-VT", "w3af.org",
        "Havij", "jaeles", "fimap.googlecode.com", "SQLMAP", "feroxbuster/2.10", "x-BADBOT-y",
        "Ünïcode-Scanner 1.0")) {
      assertNotNull(filter.refusal(ua), ua);
    }
  }

  @Test
  void ordinaryClientsPass() {
    for (String ua : List.of("curl/8.5.0", "python-requests/2.31.0", "Java-http-client/17.0.9", "Go-http-client/1.1",
        "okhttp/4.12.0", "PostmanRuntime/7.36.0", "Wget/1.21.4", "Apache-HttpClient/4.5.14 (Java/17)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
        "LabLink/2.3 (unmapped fields)", "HL7-FHIR-Client/4.0")) {
      assertNull(filter.refusal(ua), ua);
    }
  }

  @Test
  void missingOrEmptyUserAgentIsRefused() {
    assertEquals("a User-Agent header is required", filter.refusal(null));
    assertNotNull(filter.refusal(""));
    assertNotNull(filter.refusal("   "));
  }

  @Test
  void refusalIsAProblemAndTheChainStops() {
    Response r = filter.handle(FakeExchange.of("192.0.2.1", Map.of("User-Agent", "sqlmap/1.7")),
        ex -> { throw new AssertionError("must not be called"); }).result();
    assertEquals(403, r.status());
    assertEquals("bot_refused", r.problem().code());
    Response ok = filter.handle(FakeExchange.of("192.0.2.1", Map.of("User-Agent", "curl/8.5.0")),
        ex -> Future.succeededFuture(Response.buffered(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer()))).result();
    assertEquals(200, ok.status());
    Response none = filter.handle(FakeExchange.of("192.0.2.1", Map.of()),
        ex -> { throw new AssertionError("must not be called"); }).result();
    assertEquals("bot_refused", none.problem().code());
  }

  @Test
  void offUnlessAskedFor() {
    assertTrue(BotFilter.forRoute(new ClientAccessConfig(List.of("10.0.0.0/8"), null, null, null)).isEmpty());
    assertTrue(BotFilter.forRoute(null).isEmpty());
  }

  @Test
  void signaturesMatchAnywhereAndOnlyWhole() {
    UserAgentSignatures s = new UserAgentSignatures(List.of("abc", "xyz", " Spaced "));
    assertTrue(s.matches("abc"));
    assertTrue(s.matches("123ABC456"));
    assertTrue(s.matches("..xYz"));
    assertTrue(s.matches("a SPACED b"));
    assertTrue(!s.matches("ab"));
    assertTrue(!s.matches("xy z"));
    assertTrue(!s.matches(""));
  }
}
