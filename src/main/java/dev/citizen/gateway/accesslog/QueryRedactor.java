package dev.citizen.gateway.accesslog;

import dev.citizen.gateway.config.AccessLogConfig;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code query} field: every parameter value is {@code ***} unless its name is one of
 * {@code queryParams} and no masked name covers it; names and the values kept are percent-decoded
 * and masked like the path. {@code email=jane%40example.org&page=2} with {@code queryParams:
 * [page]} is logged {@code email=***&page=2}.
 */
final class QueryRedactor {
  static final String REDACTED = "***";

  private final Set<String> clear;
  private final PhiMasker masker;

  QueryRedactor(AccessLogConfig config, PhiMasker masker) {
    // Decided once: the names whose values may be logged (lower case, since parameter names are
    // matched case-insensitively here), minus any that a masked name covers.
    this.clear = config.queryParams().stream()
        .filter(q -> q != null && config.maskedBy(q) == null)
        .map(q -> q.toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
    this.masker = masker;
  }

  /** The redacted query, or null when there is none. */
  String redact(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder(rawQuery.length());
    int start = 0;
    while (start <= rawQuery.length()) {
      int amp = rawQuery.indexOf('&', start);
      int end = amp < 0 ? rawQuery.length() : amp;
      if (end > start) {
        if (out.length() > 0) {
          out.append('&');
        }
        param(out, rawQuery, start, end);
      }
      start = end + 1;
    }
    return out.toString();
  }

  private void param(StringBuilder out, String query, int start, int end) {
    int eq = query.indexOf('=', start);
    if (eq < 0 || eq > end) {
      out.append(masker.maskDecoded(query.substring(start, end)));
      return;
    }
    String name = masker.maskDecoded(query.substring(start, eq));
    out.append(name).append('=');
    if (clear.contains(name.toLowerCase(Locale.ROOT))) {
      out.append(masker.maskDecoded(query.substring(eq + 1, end)));
    } else {
      out.append(REDACTED);
    }
  }
}
