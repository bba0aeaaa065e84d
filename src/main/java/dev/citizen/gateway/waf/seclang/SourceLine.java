package dev.citizen.gateway.waf.seclang;

import java.nio.file.Path;

/**
 * One logical SecLang line (continuations already joined), with where it starts.
 *
 * @param file the rule file, or null for a line given in code ({@code before}/{@code after})
 * @param label what to call a line given in code ({@code before}), or null
 * @param line the 1-based line where the directive starts
 * @param text the joined text, a byte string
 */
public record SourceLine(Path file, String label, int line, String text) {

  public SourceLine(Path file, int line, String text) {
    this(file, null, line, text);
  }

  /** {@code file:line}, or {@code label:line} for lines given in code. */
  public String where() {
    return (file != null ? file.toString() : label != null ? label : "<config>") + ":" + line;
  }

  /** The directory relative paths in this line resolve against. */
  public Path baseDir() {
    if (file == null) {
      return Path.of("").toAbsolutePath();
    }
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of("/") : parent;
  }
}
