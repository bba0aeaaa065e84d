package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.citizen.gateway.tls.TestCertificates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener as testssl.sh (Debian package {@code testssl.sh}, 3.0.x; .ci/run installs it)
 * sees it, with an RSA certificate. SLOW: one testssl run, about 25 s on a CI machine.
 *
 * <p>It runs {@code -p} (protocols), {@code -s} (cipher categories), {@code -f} (forward secrecy),
 * {@code -E} (every cipher per protocol) and {@code -U} (vulnerabilities) against the gateway on
 * an ephemeral loopback port, offline ({@code --nodns none}), and asserts on the JSON findings:
 * SSLv2, SSLv3, TLS 1.0 and 1.1 not offered, TLS 1.2 and 1.3 offered; no NULL, anonymous, export,
 * LOW, 3DES/IDEA or "average" (CBC, non-FS) cipher; every offered cipher is AEAD with ECDHE (or a
 * TLS 1.3 suite) and forward secret; and each named vulnerability check (Heartbleed, CCS,
 * Ticketbleed, ROBOT, secure and client-initiated renegotiation, CRIME, BREACH, POODLE, fallback
 * SCSV, SWEET32, FREAK, DROWN, Logjam, BEAST, Lucky13, RC4) ran and found nothing worse than LOW.
 *
 * <p>Certificate checks ({@code -S}) are not run: a test CA's certificate is untrusted by design,
 * and what testssl says about trust, chain and expiry is about the certificate an operator
 * installs, not about the gateway's protocols and ciphers.
 */
@Timeout(300)
class TestsslTest {
  private static final List<String> VULNERABILITIES = List.of("heartbleed", "CCS", "ticketbleed", "ROBOT",
      "secure_renego", "secure_client_renego", "CRIME_TLS", "BREACH", "POODLE_SSL", "fallback_SCSV", "SWEET32",
      "FREAK", "DROWN", "LOGJAM", "BEAST", "LUCKY13", "RC4");
  private static final Set<String> ACCEPTABLE = Set.of("OK", "INFO", "LOW");

  @TempDir
  Path dir;

  static String testssl() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      for (String name : List.of("testssl", "testssl.sh")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    fail("testssl not found: install Debian's testssl.sh package (.ci/run does)");
    return null;
  }

  @Test
  void testsslFindsOnlyModernProtocolsStrongCiphersAndNoVulnerability() throws Exception {
    String testssl = testssl();
    TestCertificates pki = TestCertificates.create(dir);
    TestCertificates.Issued cert = pki.server("server", "localhost", TestCertificates.KeyType.RSA,
        List.of("127.0.0.1", "localhost"));
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().putHeader("Content-Type", "text/html").end("<html>hi</html>"));
      t.startGateway(TlsClients.gatewayConfig(backend, cert, ""));
      Path json = dir.resolve("testssl.json");
      List<String> cmd = List.of(testssl, "--jsonfile", json.toString(), "--warnings", "batch", "--quiet",
          "--color", "0", "--nodns", "none", "-p", "-s", "-f", "-E", "-U", "127.0.0.1:" + t.port());
      long start = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("testssl.txt").toFile()).start();
      assertTrue(p.waitFor(240, TimeUnit.SECONDS), "testssl did not finish in 240 s");
      long seconds = (System.nanoTime() - start) / 1_000_000_000;
      String text = Files.readString(dir.resolve("testssl.txt"), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), "testssl failed:\n" + text);
      System.out.println("testssl took " + seconds + " s");

      Map<String, JsonObject> findings = new LinkedHashMap<>();
      List<JsonObject> ciphers = new ArrayList<>();
      for (Object o : new JsonArray(Files.readString(json))) {
        JsonObject f = (JsonObject) o;
        findings.put(f.getString("id"), f);
        if (f.getString("id").startsWith("cipher-")) {
          ciphers.add(f);
        }
      }
      String all = String.join("\n", findings.values().stream().map(f -> f.getString("id") + " "
          + f.getString("severity") + " " + f.getString("finding")).toList());

      for (String old : List.of("SSLv2", "SSLv3", "TLS1", "TLS1_1")) {
        assertTrue(finding(findings, old).startsWith("not offered"), old + ": " + finding(findings, old));
      }
      for (String current : List.of("TLS1_2", "TLS1_3")) {
        assertTrue(finding(findings, current).startsWith("offered"), current + ": " + finding(findings, current));
      }

      for (String weak : List.of("cipherlist_NULL", "cipherlist_aNULL", "cipherlist_EXPORT", "cipherlist_LOW",
          "cipherlist_3DES_IDEA", "cipherlist_AVERAGE")) {
        assertEquals("not offered", finding(findings, weak), weak);
      }
      assertEquals("offered", finding(findings, "cipherlist_STRONG"));
      assertTrue(ciphers.size() >= 4, "testssl listed the offered ciphers:\n" + all);
      String fsCiphers = finding(findings, "PFS_ciphers");
      for (JsonObject c : ciphers) {
        // "TLS 1.2   xc02f   ECDHE-RSA-AES128-GCM-SHA256   ECDH 253   AESGCM   128   TLS_ECDHE_RSA_WITH_…"
        String[] columns = c.getString("finding").trim().split("\\s+");
        String name = columns[3];
        assertTrue(ACCEPTABLE.contains(c.getString("severity")), c.encode());
        assertTrue(columns[4].equals("ECDH"), "ECDHE key exchange: " + c.encode());
        assertTrue(name.contains("GCM") || name.contains("CHACHA20"), "AEAD only: " + c.encode());
        assertTrue(fsCiphers.contains(name), name + " is forward secret per -f: " + fsCiphers);
      }
      assertEquals("offered", finding(findings, "PFS"));

      for (String v : VULNERABILITIES) {
        JsonObject f = findings.get(v);
        assertNotNull(f, v + " was checked:\n" + all);
        assertTrue(ACCEPTABLE.contains(f.getString("severity")), v + ": " + f.encode());
        assertFalse(f.getString("finding").contains("VULNERABLE"), v + ": " + f.encode());
      }
      for (JsonObject f : findings.values()) {
        assertFalse(Set.of("MEDIUM", "HIGH", "CRITICAL").contains(f.getString("severity")), f.encode());
      }
    }
  }

  private static String finding(Map<String, JsonObject> findings, String id) {
    JsonObject f = findings.get(id);
    assertNotNull(f, "no finding " + id + " in " + findings.keySet());
    return f.getString("finding");
  }
}
