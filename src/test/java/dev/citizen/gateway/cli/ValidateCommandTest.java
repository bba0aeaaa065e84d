package dev.citizen.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

@Timeout(10)
class ValidateCommandTest {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static final String VALID = """
      server: {port: 8080}
      services:
        s: {endpoints: [{url: "http://127.0.0.1:9001"}]}
      routes:
        - {id: r, match: {path: /api/**}, service: s}
      """;

  @Test
  void validFilePrintsOkAndExitsZero() throws Exception {
    Path f = write("ok.yaml", VALID);
    assertEquals(0, run("validate", "--config", f.toString()));
    assertEquals("ok", out.toString().strip());
    assertEquals("", err.toString());
  }

  @Test
  void shortOptionWorksToo() throws Exception {
    Path f = write("ok.yaml", VALID);
    assertEquals(0, run("validate", "-c", f.toString()));
    assertEquals("ok", out.toString().strip());
  }

  @Test
  void invalidFileListsEveryErrorWithItsPathAndExitsOne() throws Exception {
    Path f = write("bad.yaml", """
        server: {port: abc}
        services:
          s:
            endpoints: [{url: "ftp://127.0.0.1:1"}]
            timeouts: {connect: 5}
        routes:
          - id: r
            match: {pathh: /x}
            service: s
          - {id: r, match: {path: "/a//b"}, service: missing}
        """);
    assertEquals(1, run("validate", "--config", f.toString()));
    assertEquals("", out.toString(), "nothing on stdout, so scripts can tell");
    String[] lines = err.toString().strip().split("\\R");
    String[] expectedPaths = {
        "server.port",
        "services.s.timeouts.connect",
        "routes[0].match.pathh",
        "services.s.endpoints[0].url",
        "routes[0].match.path",
        "routes[1].id",
        "routes[1].match.path",
        "routes[1].service"};
    assertEquals(expectedPaths.length, lines.length, err.toString());
    for (int i = 0; i < lines.length; i++) {
      assertTrue(lines[i].startsWith(f + ": " + expectedPaths[i] + ": "), lines[i]);
    }
    assertTrue(lines[0].contains("(line 1)"), lines[0]);
    assertTrue(lines[2].contains("expected one of: path, methods, host, headers"), lines[2]);
  }

  @Test
  void invalidYamlNamesTheLine() throws Exception {
    Path f = write("broken.yaml", "server:\n  port: [1\n");
    assertEquals(1, run("validate", "--config", f.toString()));
    assertTrue(err.toString().contains("invalid YAML"), err.toString());
    assertTrue(err.toString().contains("(line "), err.toString());
  }

  @Test
  void missingFileIsAnErrorNotAStackTrace() {
    Path f = dir.resolve("nope.yaml");
    assertEquals(1, run("validate", "--config", f.toString()));
    assertTrue(err.toString().contains("cannot read"), err.toString());
    assertTrue(!err.toString().contains("\tat "), err.toString());
  }

  @Test
  void missingOptionIsAUsageError() {
    assertEquals(2, run("validate"));
    assertTrue(err.toString().contains("--config"), err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "validate", "demo"})
  void helpOfEverySubcommand(String sub) {
    assertEquals(0, run(sub, "--help"));
    String usage = out.toString();
    assertTrue(usage.startsWith("Usage: gateway " + sub), usage);
    assertTrue(usage.contains("-h, --help"), usage);
  }

  @Test
  void topLevelHelpListsTheSubcommands() {
    assertEquals(0, run("--help"));
    for (String sub : new String[] {"run", "validate", "demo"}) {
      assertTrue(out.toString().contains("  " + sub + " "), out.toString());
    }
  }

  @Test
  void versionPrints() {
    assertEquals(0, run("--version"));
    assertTrue(out.toString().startsWith("Citizen Gateway "), out.toString());
  }

  private int run(String... args) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  private Path write(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }
}
