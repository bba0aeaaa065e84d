package dev.citizen.gateway.filter.auth;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Forwards chosen claims of a checked token to the service as request headers
 * ({@code claimHeaders: {sub: X-User-Id}}), after removing whatever the client sent under those
 * names, so a service can trust them as much as it trusts the gateway.
 *
 * <p>Values: strings as they are, numbers and booleans as JSON writes them, dates ({@code exp},
 * {@code iat}) in epoch seconds, lists of those joined with {@code ,}. A claim that is absent, an
 * object, or has characters a header cannot carry (control characters, non-ASCII) sends no
 * header: these headers are meant for identifiers such as subject and tenant ids.
 */
final class ClaimHeaders {
  /** A header value longer than this is not an identifier; it is left out. */
  static final int MAX_VALUE_CHARS = 1024;

  private final String[] claims;
  private final String[] headers;

  ClaimHeaders(Map<String, String> claimToHeader) {
    this.claims = claimToHeader.keySet().toArray(new String[0]);
    this.headers = new String[claims.length];
    for (int i = 0; i < claims.length; i++) {
      headers[i] = claimToHeader.get(claims[i]);
    }
  }

  boolean isEmpty() {
    return claims.length == 0;
  }

  /** Removes every claim header the client sent. */
  void removeFrom(MultiMap requestHeaders) {
    for (String h : headers) {
      requestHeaders.remove(h);
    }
  }

  /**
   * Sets the claim headers from {@code claimValues}; returns the claims that had a value that
   * could not be sent (for the log), or an empty list.
   */
  List<String> addTo(MultiMap requestHeaders, Map<String, Object> claimValues) {
    List<String> unsendable = List.of();
    for (int i = 0; i < claims.length; i++) {
      Object value = claimValues.get(claims[i]);
      if (value == null) {
        continue;
      }
      String text = format(value);
      if (text == null) {
        if (unsendable.isEmpty()) {
          unsendable = new ArrayList<>(2);
        }
        unsendable.add(claims[i]);
      } else {
        requestHeaders.set(headers[i], text);
      }
    }
    return unsendable;
  }

  /** The header value for a claim value, or null when it cannot be one. */
  static String format(Object value) {
    String text;
    if (value instanceof List<?> list) {
      StringBuilder sb = new StringBuilder();
      for (Object o : list) {
        String one = scalar(o);
        if (one == null || one.indexOf(',') >= 0) {
          return null;
        }
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(one);
      }
      text = sb.toString();
    } else {
      text = scalar(value);
    }
    return text == null || text.isEmpty() || text.length() > MAX_VALUE_CHARS || !printable(text) ? null : text;
  }

  private static String scalar(Object o) {
    if (o instanceof String s) {
      return s;
    }
    if (o instanceof Date d) {
      return Long.toString(d.getTime() / 1000);
    }
    if (o instanceof Number || o instanceof Boolean) {
      return o.toString();
    }
    return null;
  }

  /** Visible ASCII and inner spaces only: no control characters, and no leading or trailing space. */
  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return s.charAt(0) != ' ' && s.charAt(s.length() - 1) != ' ';
  }
}
