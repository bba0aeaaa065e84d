package dev.citizen.gateway.http;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: accepts a client's id when it is well formed, else makes a new one.
 *
 * <p>Well formed means 1 to 128 characters of {@code [A-Za-z0-9._:-]}: enough for UUIDs, ULIDs and
 * W3C trace ids, and nothing that could break a log line or a header.
 */
public final class RequestIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  public static boolean isWellFormed(String id) {
    if (id == null || id.isEmpty() || id.length() > 128) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A new random 128-bit id as 32 lowercase hex characters (the shape of a W3C trace id). */
  public static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = r.nextLong();
    long lo = r.nextLong();
    char[] out = new char[32];
    for (int i = 0; i < 16; i++) {
      out[15 - i] = HEX[(int) (hi & 0xf)];
      hi >>>= 4;
      out[31 - i] = HEX[(int) (lo & 0xf)];
      lo >>>= 4;
    }
    return new String(out);
  }

  public static String acceptOrNew(String candidate) {
    return isWellFormed(candidate) ? candidate : newId();
  }
}
