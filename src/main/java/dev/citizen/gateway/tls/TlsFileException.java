package dev.citizen.gateway.tls;

import java.nio.file.Path;

/** A TLS file that cannot be used: unreadable, not PEM, or a key that does not fit its certificate. */
public final class TlsFileException extends Exception {
  /** Which file of a set the problem is in, so that config errors name the right key. */
  public enum Part {
    CERT,
    KEY,
    CA
  }

  private final Part part;
  private final Path file;
  private final String problem;

  public TlsFileException(Part part, Path file, String problem) {
    super(file + ": " + problem);
    this.part = part;
    this.file = file;
    this.problem = problem;
  }

  public Part part() {
    return part;
  }

  public Path file() {
    return file;
  }

  /** What is wrong, without the file name. */
  public String problem() {
    return problem;
  }
}
