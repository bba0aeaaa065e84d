package dev.citizen.gateway.client;

import dev.citizen.gateway.http.Hex;

/**
 * An IPv4 or IPv6 address as numbers, parsed from text without any name lookup (unlike
 * {@link java.net.InetAddress#getByName}, which resolves whatever is not a literal: a header value
 * must never make the gateway ask DNS).
 *
 * <p>An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}, what a dual-stack socket or a proxy may
 * write for an IPv4 client) is the IPv4 address, so lists and bans see one client, not two.
 *
 * <p>{@link #toString} is the form the JDK writes for a socket's peer ({@code 192.0.2.1},
 * {@code 2001:db8:0:0:0:0:0:1}: eight groups, lower-case, no {@code ::}), so an address taken from
 * {@code X-Forwarded-For} and the same address seen on a socket are the same text, and bans and
 * logs can use the text as the key without converting every peer address.
 */
public final class IpAddress {
  private static final long MAPPED_PREFIX = 0xffffL;

  final boolean v4;
  /** IPv6: the upper 64 bits; IPv4: 0. */
  final long hi;
  /** IPv6: the lower 64 bits; IPv4: the 32-bit address. */
  final long lo;

  private IpAddress(boolean v4, long hi, long lo) {
    this.v4 = v4;
    this.hi = hi;
    this.lo = lo;
  }

  static IpAddress v4(long value) {
    return new IpAddress(true, 0, value & 0xffffffffL);
  }

  static IpAddress v6(long hi, long lo) {
    if (hi == 0 && (lo >>> 32) == MAPPED_PREFIX) {
      return v4(lo);
    }
    return new IpAddress(false, hi, lo);
  }

  public boolean isV4() {
    return v4;
  }

  /** The address in {@code text}, or null when it is not an IPv4 or IPv6 literal (no zone, port or brackets). */
  public static IpAddress parse(String text) {
    return text == null ? null : parse(text, 0, text.length());
  }

  /** As {@link #parse(String)}, for {@code text[from, to)}. */
  public static IpAddress parse(CharSequence text, int from, int to) {
    if (from >= to || to - from > 45) { // the longest IPv6 text: 6 groups of 4 and an IPv4 tail
      return null;
    }
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == ':') {
        return parseV6(text, from, to);
      }
    }
    long v = parseV4(text, from, to);
    return v < 0 ? null : v4(v);
  }

  /**
   * A dotted quad as a number, or -1. Decimal only, no leading zeros: {@code 010.0.0.1} is octal
   * to some parsers and decimal to others, so it is refused rather than guessed.
   */
  static long parseV4(CharSequence text, int from, int to) {
    long value = 0;
    int parts = 0;
    int i = from;
    while (true) {
      int start = i;
      int part = 0;
      while (i < to && i - start < 4) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        part = part * 10 + (c - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 3 || part > 255 || (digits > 1 && text.charAt(start) == '0')) {
        return -1;
      }
      value = (value << 8) | part;
      parts++;
      if (i == to) {
        return parts == 4 ? value : -1;
      }
      if (parts == 4 || text.charAt(i) != '.') {
        return -1;
      }
      i++;
    }
  }

  private static IpAddress parseV6(CharSequence text, int from, int to) {
    int[] groups = new int[8];
    int n = 0;
    int gap = -1; // index in groups where "::" stands
    int i = from;
    if (text.charAt(i) == ':') {
      if (i + 1 >= to || text.charAt(i + 1) != ':') {
        return null;
      }
      gap = 0;
      i += 2;
    }
    while (i < to) {
      int start = i;
      int value = 0;
      while (i < to && i - start < 5) {
        int d = Hex.value(text.charAt(i));
        if (d < 0) {
          break;
        }
        value = (value << 4) | d;
        i++;
      }
      if (i < to && text.charAt(i) == '.') {
        // An IPv4 tail takes the last two groups.
        long v4 = parseV4(text, start, to);
        if (v4 < 0 || n > 6) {
          return null;
        }
        groups[n++] = (int) (v4 >>> 16);
        groups[n++] = (int) (v4 & 0xffff);
        i = to;
        break;
      }
      int digits = i - start;
      if (digits == 0 || digits > 4 || n == 8) {
        return null;
      }
      groups[n++] = value;
      if (i == to) {
        break;
      }
      if (text.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < to && text.charAt(i) == ':') {
        if (gap >= 0) {
          return null; // "::" at most once
        }
        gap = n;
        i++;
      } else if (i == to) {
        return null; // a trailing single colon
      }
    }
    if (gap >= 0) {
      if (n > 7) {
        return null; // "::" stands for at least one group
      }
      int tail = n - gap;
      System.arraycopy(groups, gap, groups, 8 - tail, tail);
      java.util.Arrays.fill(groups, gap, 8 - tail, 0);
    } else if (n != 8) {
      return null;
    }
    long hi = 0;
    long lo = 0;
    for (int g = 0; g < 4; g++) {
      hi = (hi << 16) | groups[g];
      lo = (lo << 16) | groups[g + 4];
    }
    return v6(hi, lo);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress a && a.v4 == v4 && a.hi == hi && a.lo == lo;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hi * 31 + lo) + (v4 ? 1 : 0);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(v4 ? 15 : 39);
    if (v4) {
      sb.append(lo >>> 24).append('.').append((lo >>> 16) & 0xff).append('.').append((lo >>> 8) & 0xff)
          .append('.').append(lo & 0xff);
    } else {
      for (int g = 0; g < 8; g++) {
        long half = g < 4 ? hi : lo;
        int shift = 48 - 16 * (g & 3);
        if (g > 0) {
          sb.append(':');
        }
        sb.append(Long.toHexString((half >>> shift) & 0xffff));
      }
    }
    return sb.toString();
  }
}
