package dev.citizen.gateway.waf.seclang;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits SecLang text into logical lines. Like Apache's config reader, which ModSecurity's rule
 * files are written for: a line ending in {@code \} continues on the next one, whose leading
 * whitespace is dropped; lines starting with {@code #} are comments; blank lines are skipped.
 * Files are read as ISO-8859-1 so every byte survives as one char.
 */
public final class SecLangReader {
  private SecLangReader() {}

  public static List<SourceLine> read(Path file) {
    String text;
    try {
      text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new SecLangException(file.toString(), "cannot read rule file: " + e.getMessage(), e);
    }
    return split(file, text);
  }

  public static List<SourceLine> split(Path file, String text) {
    List<SourceLine> out = new ArrayList<>();
    String[] physical = text.split("\n", -1);
    StringBuilder current = null;
    int start = 0;
    for (int i = 0; i < physical.length; i++) {
      String line = physical[i];
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (current == null) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        current = new StringBuilder();
        start = i + 1;
        line = trimmed;
      } else {
        line = stripLeading(line);
      }
      String body = stripTrailing(line);
      if (body.endsWith("\\")) {
        current.append(body, 0, body.length() - 1);
        continue;
      }
      current.append(body);
      out.add(new SourceLine(file, start, current.toString()));
      current = null;
    }
    if (current != null && current.length() > 0) {
      out.add(new SourceLine(file, start, current.toString()));
    }
    return out;
  }

  private static String stripLeading(String s) {
    int i = 0;
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return s.substring(i);
  }

  private static String stripTrailing(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return s.substring(0, end);
  }
}
