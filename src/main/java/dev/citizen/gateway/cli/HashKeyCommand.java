package dev.citizen.gateway.cli;

import dev.citizen.gateway.filter.auth.ApiKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gateway hash-key}: prints the SHA-256 of an API key, as {@code auth.apiKeys.keys[].sha256}
 * wants it, so that the config holds hashes only. The key is read from standard input (one line,
 * so it stays out of the shell history and the process list) or taken as an argument;
 * {@code --generate} makes a new random key.
 */
@Command(name = "hash-key", mixinStandardHelpOptions = true,
    description = {"Print the SHA-256 of an API key for auth.apiKeys.keys[].sha256 in the config.",
        "The key is read from standard input (one line) unless given as an argument; prefer stdin, "
            + "an argument shows in the shell history and the process list.",
        "  printf '%%s' \"$KEY\" | ./gateway hash-key",
        "  ./gateway hash-key --generate      # a new random key and its hash"})
final class HashKeyCommand implements Callable<Integer> {
  static final int MIN_LENGTH = 16;
  /** Longer than any sensible key, short enough that stdin cannot be made to fill the heap. */
  private static final int MAX_LENGTH = 4096;

  @Parameters(arity = "0..1", paramLabel = "KEY", description = "The key (default: read from standard input)")
  String key;

  @Option(names = "--generate", description = "Make a new random key (32 bytes, base64url) and print it with its hash")
  boolean generate;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Where the key is read from when not given; a field so that tests can hand one in. */
  InputStream stdin = System.in;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (generate) {
      if (key != null) {
        err.println("hash-key: give either a key or --generate, not both");
        return 2;
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      out.println("key:    " + fresh);
      out.println("sha256: " + ApiKeys.hashHex(fresh));
      out.flush();
      return 0;
    }
    String k = key != null ? key : readLine(stdin);
    if (k == null || k.isEmpty()) {
      err.println("hash-key: no key (give it on standard input or as an argument)");
      return 2;
    }
    for (int i = 0; i < k.length(); i++) {
      char c = k.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        err.println("hash-key: the key has spaces, control or non-ASCII characters; a client could not send it "
            + "in a header as it is");
        return 2;
      }
    }
    if (k.length() < MIN_LENGTH) {
      err.println("hash-key: the key has " + k.length() + " characters (expected: at least " + MIN_LENGTH
          + "; ./gateway hash-key --generate makes one)");
      return 2;
    }
    out.println(ApiKeys.hashHex(k));
    out.flush();
    return 0;
  }

  /** The first line of {@code in}, without its line break; null when there is none. */
  private static String readLine(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_LENGTH + 2);
    String text = new String(bytes, StandardCharsets.UTF_8);
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    return line.length() > MAX_LENGTH ? null : line;
  }
}
