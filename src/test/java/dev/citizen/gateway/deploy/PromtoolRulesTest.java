package dev.citizen.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shipped alert rules, checked and unit-tested by Prometheus' own promtool (Debian package
 * {@code prometheus}; .ci/run installs it). Every alert in alerts.yml must have a test case.
 */
@Timeout(120)
class PromtoolRulesTest {
  static final Path DIR = Path.of("deploy/prometheus");
  /** Where prometheus.yml reads the admin token from. */
  static final String TOKEN_FILE = "/etc/prometheus/citizen-gateway-admin-token";

  static String promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, "promtool");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    fail("promtool not found: install Debian's prometheus package (.ci/run does)");
    return null;
  }

  private static String run(String... args) throws IOException, InterruptedException {
    return runIn(DIR, args);
  }

  private static String runIn(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + " failed:\n" + out);
    return out;
  }

  @Test
  void rulesAndConfigsAreValid() throws Exception {
    String promtool = promtool();
    assertTrue(run(promtool, "check", "rules", "alerts.yml").contains("SUCCESS: 8 rules found"));
    // promtool checks that the admin token file exists: check a copy that points at one.
    String config = Files.readString(DIR.resolve("prometheus.yml"));
    assertTrue(config.contains(TOKEN_FILE), "the scrape config must send the admin token (/metrics needs it)");
    Path tmp = Files.createTempDirectory("promtool-check");
    try {
      Path token = Files.writeString(tmp.resolve("admin-token"), "x".repeat(32) + "\n");
      Files.writeString(tmp.resolve("prometheus.yml"), config.replace(TOKEN_FILE, token.toString()));
      Files.copy(DIR.resolve("alerts.yml"), tmp.resolve("alerts.yml"));
      runIn(tmp, promtool, "check", "config", "prometheus.yml");
    } finally {
      for (String f : new String[] {"prometheus.yml", "alerts.yml", "admin-token"}) {
        Files.deleteIfExists(tmp.resolve(f));
      }
      Files.deleteIfExists(tmp);
    }
  }

  @Test
  void everyAlertPassesItsUnitTests() throws Exception {
    String out = run(promtool(), "test", "rules", "tests/alerts_test.yml");
    assertTrue(out.contains("SUCCESS"), out);
  }

  @Test
  void everyAlertHasATestAndARunbook() throws Exception {
    String rules = Files.readString(DIR.resolve("alerts.yml"));
    String tests = Files.readString(DIR.resolve("tests/alerts_test.yml"));
    List<String> alerts = rules.lines().map(String::trim).filter(l -> l.startsWith("- alert: "))
        .map(l -> l.substring("- alert: ".length())).toList();
    assertTrue(alerts.size() >= 7, alerts.toString());
    for (String a : List.of("GatewayHighLatencyP95", "GatewayHighLatencyP99", "GatewayHighErrorRate",
        "GatewayServiceNoHealthyEndpoint", "GatewayCircuitOpen", "GatewayConfigReloadFailing", "GatewayDown")) {
      assertTrue(alerts.contains(a), "the issue asks for " + a);
    }
    for (String a : alerts) {
      assertTrue(tests.contains("alertname: " + a), a + " has no promtool test");
    }
    assertEquals(alerts.size(), rules.lines().filter(l -> l.trim().startsWith("runbook: ")).count(),
        "every alert has a runbook line");
  }
}
