package dev.citizen.gateway.waf.libinjection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * libinjection's {@code sql_keywords} table: SQL words, operators and phrases with their token
 * type, plus the blacklisted fingerprints (type {@code F}, stored as {@code 0} + the upper-case
 * fingerprint). Loaded once from {@code waf/libinjection/sqli-keywords.tsv}.
 *
 * <p>libinjection looks words up with a binary search that upper-cases only {@code a-z} of the key
 * and matches whole keywords; an open-addressing table with the same folding gives the same answers
 * without allocating per lookup.
 */
final class SqliKeywords {
  static final String RESOURCE = "/waf/libinjection/sqli-keywords.tsv";

  private static final SqliKeywords INSTANCE = load();

  private final char[][] keys;
  private final char[] types;
  private final int mask;
  private final int size;

  private SqliKeywords(List<String> words, List<Character> kinds) {
    int capacity = Integer.highestOneBit(Math.max(16, words.size() * 3)) << 1;
    keys = new char[capacity][];
    types = new char[capacity];
    mask = capacity - 1;
    for (int i = 0; i < words.size(); i++) {
      char[] word = words.get(i).toCharArray();
      int slot = hash(word, 0, word.length) & mask;
      while (keys[slot] != null) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = word;
      types[slot] = kinds.get(i);
    }
    size = words.size();
  }

  static SqliKeywords get() {
    return INSTANCE;
  }

  int size() {
    return size;
  }

  /** The keyword type of {@code s[from, from+len)} (upper-casing a-z only), or 0 when none. */
  char lookup(CharSequence s, int from, int len) {
    if (len <= 0) {
      return 0;
    }
    int h = 0;
    for (int i = 0; i < len; i++) {
      h = 31 * h + upper(s.charAt(from + i));
    }
    for (int slot = mix(h) & mask; ; slot = (slot + 1) & mask) {
      char[] key = keys[slot];
      if (key == null) {
        return 0;
      }
      if (key.length == len && matches(key, s, from)) {
        return types[slot];
      }
    }
  }

  /** As {@link #lookup(CharSequence, int, int)} over a char array. */
  char lookup(char[] s, int from, int len) {
    if (len <= 0) {
      return 0;
    }
    int slot = hash(s, from, len) & mask;
    for (; ; slot = (slot + 1) & mask) {
      char[] key = keys[slot];
      if (key == null) {
        return 0;
      }
      if (key.length == len && matches(key, s, from)) {
        return types[slot];
      }
    }
  }

  private static boolean matches(char[] key, CharSequence s, int from) {
    for (int i = 0; i < key.length; i++) {
      if (key[i] != upper(s.charAt(from + i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(char[] key, char[] s, int from) {
    for (int i = 0; i < key.length; i++) {
      if (key[i] != upper(s[from + i])) {
        return false;
      }
    }
    return true;
  }

  private static int hash(char[] s, int from, int len) {
    int h = 0;
    for (int i = 0; i < len; i++) {
      h = 31 * h + upper(s[from + i]);
    }
    return mix(h);
  }

  private static int mix(int h) {
    return h ^ (h >>> 16) ^ (h >>> 7);
  }

  /** libinjection's case folding: only ASCII a-z are upper-cased. */
  static char upper(char c) {
    return c >= 'a' && c <= 'z' ? (char) (c - 0x20) : c;
  }

  private static SqliKeywords load() {
    List<String> words = new ArrayList<>(10_000);
    List<Character> kinds = new ArrayList<>(10_000);
    try (InputStream in = SqliKeywords.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
      String line;
      int lineNo = 0;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        if (tab <= 0 || tab != line.length() - 2) {
          throw new IllegalStateException(RESOURCE + ":" + lineNo + ": expected WORD<TAB>TYPE");
        }
        words.add(line.substring(0, tab));
        kinds.add(line.charAt(tab + 1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return new SqliKeywords(words, kinds);
  }
}
