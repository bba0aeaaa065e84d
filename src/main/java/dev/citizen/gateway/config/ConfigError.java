package dev.citizen.gateway.config;

/**
 * One problem in a config file: the key path ({@code routes[2].match.path}), what is wrong and,
 * where known, the 1-based line in the file.
 */
public record ConfigError(String path, String message, int line) {

  public ConfigError(String path, String message) {
    this(path, message, 0);
  }

  @Override
  public String toString() {
    String where = path.isEmpty() ? "(root)" : path;
    return line > 0 ? where + ": " + message + " (line " + line + ")" : where + ": " + message;
  }
}
