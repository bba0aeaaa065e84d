package dev.citizen.gateway.filter.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Case-insensitive fragments of {@code User-Agent} values, compiled for one pass over a header:
 * the fragments are indexed by their first character, so each position of the header is compared
 * only with the fragments that start with its character. No regex, no lower-cased copy of the
 * header, nothing allocated per request.
 */
final class UserAgentSignatures {
  /** By lower-case ASCII first character; fragments starting with anything else are in {@link #other}. */
  private final String[][] byFirst = new String[128][];
  private final String[] other;

  UserAgentSignatures(List<String> fragments) {
    List<List<String>> buckets = new ArrayList<>();
    for (int i = 0; i < 128; i++) {
      buckets.add(null);
    }
    List<String> rest = new ArrayList<>();
    for (String f : fragments) {
      String s = f.strip().toLowerCase(Locale.ROOT);
      if (s.isEmpty()) {
        continue;
      }
      char c = s.charAt(0);
      if (c < 128) {
        if (buckets.get(c) == null) {
          buckets.set(c, new ArrayList<>());
        }
        buckets.get(c).add(s);
      } else {
        rest.add(s);
      }
    }
    for (int i = 0; i < 128; i++) {
      byFirst[i] = buckets.get(i) == null ? null : buckets.get(i).toArray(new String[0]);
    }
    other = rest.toArray(new String[0]);
  }

  /** Whether {@code value} contains one of the fragments, ignoring case. */
  boolean matches(String value) {
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      String[] candidates;
      if (c < 128) {
        candidates = byFirst[c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c];
      } else {
        candidates = other;
      }
      if (candidates == null) {
        continue;
      }
      for (String s : candidates) {
        if (value.regionMatches(true, i, s, 0, s.length())) {
          return true;
        }
      }
    }
    return false;
  }
}
