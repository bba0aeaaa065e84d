package dev.citizen.gateway.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes, written in config as {@code 512B}, {@code 8KiB}, {@code 10MiB} or {@code 1GiB}
 * (binary units; {@code KB}/{@code MB}/{@code GB} are accepted as the same binary units because
 * that is what operators mean when they write them for buffer limits).
 */
public record DataSize(long bytes) {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB|K|M|G)?");

  public DataSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size");
    }
  }

  public static DataSize ofKiB(long k) {
    return new DataSize(k * 1024);
  }

  public static DataSize ofMiB(long m) {
    return new DataSize(m * 1024 * 1024);
  }

  /** Parses a size; throws IllegalArgumentException with the expected format on bad input. */
  public static DataSize parse(String text) {
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a size such as 512B, 8KiB, 10MiB");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size too large");
    }
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    long mult = switch (unit) {
      case "B" -> 1L;
      case "KIB", "KB", "K" -> 1024L;
      case "MIB", "MB", "M" -> 1024L * 1024;
      default -> 1024L * 1024 * 1024;
    };
    if (n > Long.MAX_VALUE / mult) {
      throw new IllegalArgumentException("size too large");
    }
    return new DataSize(n * mult);
  }

  /** Bytes as an int for APIs that take one; sizes above 2 GiB saturate. */
  public int toIntBytes() {
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }

  @Override
  public String toString() {
    if (bytes % (1024L * 1024 * 1024) == 0 && bytes > 0) {
      return bytes / (1024L * 1024 * 1024) + "GiB";
    }
    if (bytes % (1024L * 1024) == 0 && bytes > 0) {
      return bytes / (1024L * 1024) + "MiB";
    }
    if (bytes % 1024 == 0 && bytes > 0) {
      return bytes / 1024 + "KiB";
    }
    return bytes + "B";
  }
}
