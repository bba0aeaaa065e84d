package dev.citizen.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.filter.auth.ApiKeys;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code gateway hash-key}: what operators paste into auth.apiKeys.keys[].sha256. */
@Timeout(10)
class HashKeyCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String stdin, String... args) {
    HashKeyCommand command = new HashKeyCommand();
    command.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void hashesAKeyFromStandardInputWithoutItsLineBreak() {
    assertEquals(0, run("lab-key-0123456789\n"));
    assertEquals(ApiKeys.hashHex("lab-key-0123456789"), out.toString().strip());
    assertEquals(64, out.toString().strip().length());
  }

  @Test
  void hashesAKeyGivenAsAnArgument() {
    assertEquals(0, run("", "lab-key-0123456789"));
    assertEquals(ApiKeys.hashHex("lab-key-0123456789"), out.toString().strip());
  }

  @Test
  void refusesShortEmptyAndUnsendableKeys() {
    assertEquals(2, run("short\n"));
    assertTrue(err.toString().contains("at least 16"), err.toString());
    assertEquals(2, run(""));
    assertEquals(2, run("a key with spaces inside it\n"));
    assertEquals("", out.toString());
  }

  @Test
  void generatesARandomKeyWithItsHash() {
    assertEquals(0, run("", "--generate"));
    String[] lines = out.toString().strip().split("\n");
    String key = lines[0].replace("key:", "").strip();
    String hash = lines[1].replace("sha256:", "").strip();
    assertEquals(43, key.length(), "32 random bytes in base64url");
    assertEquals(ApiKeys.hashHex(key), hash);
  }

  @Test
  void isASubcommandOfGateway() {
    StringWriter help = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(help, true));
    cl.execute("--help");
    assertTrue(help.toString().contains("hash-key"), help.toString());
  }
}
