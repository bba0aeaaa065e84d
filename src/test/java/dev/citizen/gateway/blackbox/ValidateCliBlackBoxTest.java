package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway validate} as an operator runs it: a separate JVM, exit code and output streams. */
@Timeout(60)
class ValidateCliBlackBoxTest {
  @TempDir
  Path dir;

  record Result(int exit, String out, String err) {}

  @Test
  void brokenFilePrintsEveryErrorPathAndExitsOne() throws Exception {
    Path f = dir.resolve("broken.yaml");
    Files.writeString(f, """
        server:
          port: abc
          limits: {maxBodyBytes: lots}
        services:
          patients:
            endpoints: [{url: "ftp://127.0.0.1:9001"}]
            timeouts: {connect: 5}
        routes:
          - id: patients
            match: {pathh: /api/patients/**}
            service: patients
          - id: billing
            match: {path: /api/invoices/**}
            service: billing
        """);
    Result r = validate(f);
    assertEquals(1, r.exit(), r.toString());
    assertEquals("", r.out().strip(), r.toString());
    List<String> lines = r.err().strip().lines().filter(l -> l.startsWith(f.toString())).toList();
    List<String> expected = List.of(
        "server.port",
        "server.limits.maxBodyBytes",
        "services.patients.timeouts.connect",
        "routes[0].match.pathh",
        "services.patients.endpoints[0].url",
        "routes[0].match.path",
        "routes[1].service");
    assertEquals(expected.size(), lines.size(), r.err());
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(lines.get(i).startsWith(f + ": " + expected.get(i) + ": "), lines.get(i));
    }
    assertTrue(r.err().contains("(line 2)"), r.err());
  }

  @Test
  void validFilePrintsOkAndExitsZero() throws Exception {
    Path f = dir.resolve("ok.yaml");
    Files.writeString(f, TestGateway.simpleConfig(9001));
    Result r = validate(f);
    assertEquals(0, r.exit(), r.toString());
    assertEquals("ok", r.out().strip(), r.toString());
  }

  private static Result validate(Path config) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        "dev.citizen.gateway.cli.Main", "validate", "--config", config.toString()));
    File out = Files.createTempFile("validate", ".out").toFile();
    File err = Files.createTempFile("validate", ".err").toFile();
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("validate did not finish");
      }
      return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
          Files.readString(err.toPath(), StandardCharsets.UTF_8));
    } finally {
      out.delete();
      err.delete();
    }
  }
}
