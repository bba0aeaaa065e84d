package dev.citizen.gateway.client;

/**
 * A network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or a single address
 * ({@code 192.0.2.7} is {@code /32}, {@code ::1} is {@code /128}).
 *
 * <p>IPv4 networks hold IPv4 addresses (IPv4-mapped IPv6 addresses included, see
 * {@link IpAddress}), IPv6 networks the other IPv6 addresses: {@code ::/0} is every IPv6 client,
 * not every client. A network written in the mapped range ({@code ::ffff:10.0.0.0/104}) is the
 * IPv4 network it names ({@code 10.0.0.0/8}).
 */
public final class Cidr {
  final boolean v4;
  /** The network with host bits cleared, as in {@link IpAddress}. */
  final long hi;
  final long lo;
  /** 0..32 for IPv4, 0..128 for IPv6. */
  final int prefix;

  private Cidr(boolean v4, long hi, long lo, int prefix) {
    this.v4 = v4;
    this.hi = hi;
    this.lo = lo;
    this.prefix = prefix;
  }

  /**
   * Parses {@code text}; throws {@link IllegalArgumentException} whose message says what was
   * expected, for a config error. A network with host bits set ({@code 10.0.0.1/8}) is refused: it is usually a
   * typo for a single address or for another prefix, and guessing either would let the wrong
   * clients in or out.
   */
  public static Cidr parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("expected: an IP address or CIDR such as 10.0.0.0/8 or 2001:db8::/32");
    }
    String t = text.trim();
    int slash = t.indexOf('/');
    String addressText = slash < 0 ? t : t.substring(0, slash);
    IpAddress address = IpAddress.parse(addressText);
    if (address == null) {
      throw new IllegalArgumentException("expected: an IP address or CIDR such as 10.0.0.0/8 or 2001:db8::/32");
    }
    boolean writtenV6 = addressText.indexOf(':') >= 0;
    int max = writtenV6 ? 128 : 32;
    int prefix = max;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
          || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > max) {
        throw new IllegalArgumentException("expected: a prefix length of 0.." + max + " after /");
      }
      prefix = Integer.parseInt(p);
    }
    if (address.v4 && writtenV6) {
      // An IPv4-mapped network, written in IPv6: the IPv4 network it stands for.
      if (prefix < 96) {
        throw new IllegalArgumentException("expected: a prefix of at least 96 for an IPv4-mapped network, "
            + "or an IPv4 CIDR such as 10.0.0.0/8");
      }
      prefix -= 96;
    }
    Cidr cidr = of(address, prefix);
    if (cidr.hi != address.hi || cidr.lo != address.lo) {
      throw new IllegalArgumentException("host bits set; expected: " + cidr);
    }
    return cidr;
  }

  /** The network of {@code prefix} bits that holds {@code address}. */
  static Cidr of(IpAddress address, int prefix) {
    if (address.v4) {
      return new Cidr(true, 0, address.lo & mask32(prefix), prefix);
    }
    return new Cidr(false, address.hi & maskHi(prefix), address.lo & maskLo(prefix), prefix);
  }

  public boolean contains(IpAddress a) {
    if (a == null || a.v4 != v4) {
      return false;
    }
    if (v4) {
      return (a.lo & mask32(prefix)) == lo;
    }
    return (a.hi & maskHi(prefix)) == hi && (a.lo & maskLo(prefix)) == lo;
  }

  public boolean isV4() {
    return v4;
  }

  public int prefix() {
    return prefix;
  }

  /** Java shifts by the distance mod 64, so /0 and the full lengths are spelt out. */
  static long mask32(int prefix) {
    return prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
  }

  static long maskHi(int prefix) {
    return prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
  }

  static long maskLo(int prefix) {
    return prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.v4 == v4 && c.hi == hi && c.lo == lo && c.prefix == prefix;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hi * 31 + lo) * 131 + prefix * 2 + (v4 ? 1 : 0);
  }

  /** The network address and prefix: {@code 10.0.0.0/8}, {@code 2001:db8:0:0:0:0:0:0/32}. */
  @Override
  public String toString() {
    return (v4 ? IpAddress.v4(lo) : IpAddress.v6(hi, lo)) + "/" + prefix;
  }
}
