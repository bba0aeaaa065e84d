package dev.citizen.gateway.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads TLS files whole, with errors that name the file and the config key it came from. */
public final class PemFiles {
  private PemFiles() {}

  public static byte[] read(TlsFileException.Part part, Path file) throws TlsFileException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException | SecurityException e) {
      throw new TlsFileException(part, file, "cannot be read (" + describe(e) + ")");
    }
  }

  private static String describe(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof IOException && e.getMessage() != null && e.getMessage().contains("directory")) {
      return "a directory";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
