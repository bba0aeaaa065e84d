package dev.citizen.gateway.waf.operator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code @pm} (phrases separated by spaces in the parameter) and {@code @pmFromFile}/{@code @pmf}
 * (one phrase per line in files named by the parameter): case-insensitive, matches when any phrase
 * occurs anywhere in the value. With {@code capture}, {@code TX.0} is the phrase found.
 */
final class PhraseMatch implements Operator {
  /** The longest piece of a phrase {@link #literals} takes. */
  static final int LITERAL_LENGTH = 3;

  private final AhoCorasick automaton; // null when the parameter has macros
  private final MacroText parameter;
  private final List<String> literals;

  private PhraseMatch(AhoCorasick automaton, MacroText parameter, List<String> phrases) {
    this.automaton = automaton;
    this.parameter = parameter;
    this.literals = phrases == null ? null : literals(phrases);
  }

  /**
   * For each phrase, its rarest piece of up to {@link #LITERAL_LENGTH} characters (by {@link
   * RequiredLiterals#expectedHits}): a value holds a phrase only if it holds that piece (both
   * compare case-insensitively, the same way). So the shared {@link LiteralIndex} can rule out a
   * phrase list the way it rules out a pattern, with a few thousand short literals instead of the
   * phrases themselves (whole phrases made its table 16 MiB).
   */
  private static List<String> literals(List<String> phrases) {
    Set<String> out = new LinkedHashSet<>();
    for (String phrase : phrases) {
      if (phrase.length() <= LITERAL_LENGTH) {
        out.add(phrase);
        continue;
      }
      String best = null;
      double bestHits = Double.MAX_VALUE;
      for (int i = 0; i + LITERAL_LENGTH <= phrase.length(); i++) {
        String piece = phrase.substring(i, i + LITERAL_LENGTH);
        double hits = RequiredLiterals.expectedHits(Set.of(piece));
        if (hits < bestHits) {
          best = piece;
          bestHits = hits;
        }
      }
      out.add(best);
    }
    return out.isEmpty() ? null : List.copyOf(out);
  }

  static PhraseMatch inline(String parameter) {
    MacroText text = MacroText.of(parameter);
    List<String> phrases = text.hasMacros() ? null : phrases(parameter);
    return new PhraseMatch(phrases == null ? null : new AhoCorasick(phrases), text, phrases);
  }

  static PhraseMatch fromFiles(String parameter, Path baseDir) {
    return of(filePhrases(parameter, baseDir));
  }

  /** A phrase match over {@code phrases} (as read from files: kept as they are). */
  static PhraseMatch of(List<String> phrases) {
    return new PhraseMatch(new AhoCorasick(phrases), MacroText.of(""), phrases);
  }

  /** The phrases of the files an {@code @pmFromFile} parameter names, in order. */
  static List<String> filePhrases(String parameter, Path baseDir) {
    List<String> all = new ArrayList<>();
    for (String name : parameter.trim().split("\\s+")) {
      if (name.isEmpty()) {
        continue;
      }
      if (name.startsWith("http://") || name.startsWith("https://")) {
        throw new IllegalArgumentException("@pmFromFile: remote phrase files are not supported: " + name);
      }
      all.addAll(readLines(resolve(baseDir, name), "@pmFromFile"));
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("@pmFromFile: no phrases in " + parameter);
    }
    return all;
  }

  static Path resolve(Path baseDir, String name) {
    Path p = Path.of(name);
    return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
  }

  /**
   * The lines of a data file as byte strings: a trailing CR/LF goes, blank lines and lines whose
   * first non-blank character is {@code #} are skipped; other whitespace is kept (CRS's
   * php-errors.data has phrases that end with a space).
   */
  static List<String> readLines(Path file, String operator) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(operator + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    List<String> lines = new ArrayList<>();
    for (String line : new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1)) {
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      String stripped = line.strip();
      if (stripped.isEmpty() || stripped.startsWith("#")) {
        continue;
      }
      lines.add(line);
    }
    return lines;
  }

  /** Splits an {@code @pm} parameter on whitespace. */
  static List<String> phrases(String parameter) {
    List<String> list = new ArrayList<>();
    for (String p : parameter.trim().split("[ \t]+")) {
      if (!p.isEmpty()) {
        list.add(p);
      }
    }
    return list;
  }

  /** What {@link LiteralIndex} takes: one required piece per phrase; null with macros. */
  List<String> literals() {
    return literals;
  }

  @Override
  public boolean test(OperatorContext ctx, String input) {
    AhoCorasick a = automaton != null ? automaton : new AhoCorasick(phrases(parameter.expand(ctx)));
    String found = a.find(input);
    if (found == null) {
      return false;
    }
    if (ctx.capturing()) {
      ctx.capture(0, found);
    }
    return true;
  }
}
