package dev.citizen.gateway.client;

import java.util.List;

/**
 * Reading {@code X-Forwarded-For}: a comma-separated list, one entry per proxy a request passed,
 * each proxy appending the address it received the request from, so the right-most entries are
 * the ones written by proxies nearest the gateway. All lines of the header are one list (RFC 9110
 * §5.3). Only the entries that trusted proxies wrote can be believed: anything to their left may
 * have been made up by the client.
 *
 * <p>Entries may carry a port ({@code 192.0.2.1:5678}, {@code [2001:db8::1]:443}), as some load
 * balancers write them; it is ignored. Empty entries are skipped. Anything else that is not an
 * address ({@code unknown}, an obfuscated identifier, garbage) ends the walk.
 */
public final class ForwardedFor {
  public static final String HEADER = "X-Forwarded-For";

  private ForwardedFor() {}

  /**
   * The client by the right-most-untrusted rule: walking from the right, skip the entries that are
   * trusted proxies and take the first that is not; if every entry is trusted, the left-most one.
   * A malformed entry stops the walk, and the last hop that could be vouched for is the client: the
   * trusted proxy that forwarded the garbage (or {@code peer}, when the right-most entry is bad).
   *
   * @param peer the socket's peer as text, itself a trusted proxy
   * @param lines the header's lines
   * @return the client's address as {@link IpAddress#toString} writes it, or {@code peer}
   */
  static String client(String peer, List<String> lines, CidrSet trusted) {
    String lastTrusted = peer;
    for (int l = lines.size() - 1; l >= 0; l--) {
      String line = lines.get(l);
      int end = line.length();
      while (end >= 0) {
        int comma = line.lastIndexOf(',', end - 1);
        int from = skipSpace(line, comma + 1, end);
        int to = trimEnd(line, from, end);
        end = comma;
        if (from == to) {
          continue;
        }
        IpAddress a = parseEntry(line, from, to);
        if (a == null) {
          return lastTrusted;
        }
        if (!trusted.contains(a)) {
          return a.toString();
        }
        lastTrusted = a.toString();
      }
    }
    return lastTrusted;
  }

  /**
   * The {@code X-Forwarded-For} the gateway sends upstream: the part of the chain it verified,
   * from the client it settled on ({@link #client}) through the trusted proxies to the peer.
   * Entries left of the client are dropped, as the client could have written them, so a service
   * may take the left-most entry as the client. Without a trusted proxy in front, that is the peer
   * alone, and a client cannot slip in an address the service would believe.
   *
   * @param lines the header's lines as received (may be empty)
   * @param client the client the gateway settled on
   * @param peer the socket's peer
   */
  public static String chain(List<String> lines, String client, String peer) {
    if (client == null || client.equals(peer) || lines.isEmpty()) {
      return peer;
    }
    IpAddress wanted = IpAddress.parse(client);
    for (int l = lines.size() - 1; l >= 0; l--) {
      String line = lines.get(l);
      int end = line.length();
      while (end >= 0) {
        int comma = line.lastIndexOf(',', end - 1);
        int from = skipSpace(line, comma + 1, end);
        int to = trimEnd(line, from, end);
        end = comma;
        if (from < to && wanted != null && wanted.equals(parseEntry(line, from, to))) {
          StringBuilder sb = new StringBuilder(line.length() + 2 + peer.length());
          appendEntries(sb, line, from);
          for (int next = l + 1; next < lines.size(); next++) {
            appendEntries(sb, lines.get(next), 0);
          }
          return sb.append(", ").append(peer).toString();
        }
      }
    }
    return client + ", " + peer;
  }

  /** The non-empty entries of {@code line} from {@code from} on, as received, each followed by ", " but the first. */
  private static void appendEntries(StringBuilder sb, String line, int from) {
    while (from <= line.length()) {
      int comma = line.indexOf(',', from);
      int end = comma < 0 ? line.length() : comma;
      int s = skipSpace(line, from, end);
      int e = trimEnd(line, s, end);
      if (s < e) {
        if (sb.length() > 0) {
          sb.append(", ");
        }
        sb.append(line, s, e);
      }
      from = end + 1;
    }
  }

  /** One entry: an address, optionally with a port ({@code a.b.c.d:port}, {@code [v6]:port}, {@code [v6]}). */
  static IpAddress parseEntry(String s, int from, int to) {
    if (s.charAt(from) == '[') {
      int close = s.indexOf(']', from);
      if (close < 0 || close >= to || !isPort(s, close + 1, to, true)) {
        return null;
      }
      IpAddress a = IpAddress.parse(s, from + 1, close);
      return a;
    }
    int colon = s.indexOf(':', from);
    if (colon >= 0 && colon < to && s.lastIndexOf(':', to - 1) == colon) {
      // One colon: IPv4 with a port (an IPv6 literal has at least two).
      if (!isPort(s, colon, to, false)) {
        return null;
      }
      IpAddress a = IpAddress.parse(s, from, colon);
      return a != null && a.v4 ? a : null;
    }
    return IpAddress.parse(s, from, to);
  }

  /** {@code :digits} from {@code from} to {@code to}; empty counts only when {@code mayBeEmpty}. */
  private static boolean isPort(String s, int from, int to, boolean mayBeEmpty) {
    if (from == to) {
      return mayBeEmpty;
    }
    if (s.charAt(from) != ':' || to - from < 2 || to - from > 6) {
      return false;
    }
    for (int i = from + 1; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static int skipSpace(String s, int from, int to) {
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    return from;
  }

  private static int trimEnd(String s, int from, int to) {
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return to;
  }
}
