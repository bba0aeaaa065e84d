package dev.citizen.gateway.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * A set of networks compiled for fast lookups: the networks of one prefix length are kept sorted,
 * so a lookup masks the address once per distinct prefix length and binary-searches. A list of
 * thousands of single addresses (a blocklist) costs a dozen comparisons, a list of a few networks
 * a few mask-and-compare steps; a lookup allocates nothing.
 *
 * <p>Immutable and thread-safe; built when a config is compiled, never on the request path.
 */
public final class CidrSet {
  public static final CidrSet EMPTY = new CidrSet(new Group[0], new Group[0]);

  /** Networks of one family and prefix length, sorted (IPv6 by unsigned hi, then lo). */
  private record Group(int prefix, long maskHi, long maskLo, long[] his, long[] los) {}

  private final Group[] v4;
  private final Group[] v6;

  private CidrSet(Group[] v4, Group[] v6) {
    this.v4 = v4;
    this.v6 = v6;
  }

  /** Parses every entry (see {@link Cidr#parse}); throws on the first bad one. Validate first. */
  public static CidrSet parse(Collection<String> entries) {
    List<Cidr> cidrs = new ArrayList<>(entries.size());
    for (String e : entries) {
      cidrs.add(Cidr.parse(e));
    }
    return of(cidrs);
  }

  public static CidrSet of(Collection<Cidr> cidrs) {
    if (cidrs.isEmpty()) {
      return EMPTY;
    }
    TreeMap<Integer, List<Cidr>> v4 = new TreeMap<>();
    TreeMap<Integer, List<Cidr>> v6 = new TreeMap<>();
    for (Cidr c : cidrs) {
      (c.v4 ? v4 : v6).computeIfAbsent(c.prefix, p -> new ArrayList<>()).add(c);
    }
    return new CidrSet(groups(v4, true), groups(v6, false));
  }

  private static Group[] groups(TreeMap<Integer, List<Cidr>> byPrefix, boolean v4) {
    List<Group> out = new ArrayList<>();
    // Longest prefixes first: no reason beyond a stable order, any network that matches will do.
    for (var e : byPrefix.descendingMap().entrySet()) {
      List<Cidr> list = new ArrayList<>(e.getValue());
      list.sort((a, b) -> {
        int c = Long.compareUnsigned(a.hi, b.hi);
        return c != 0 ? c : Long.compareUnsigned(a.lo, b.lo);
      });
      long[] his = new long[list.size()];
      long[] los = new long[list.size()];
      for (int i = 0; i < list.size(); i++) {
        his[i] = list.get(i).hi;
        los[i] = list.get(i).lo;
      }
      int p = e.getKey();
      out.add(v4 ? new Group(p, 0, Cidr.mask32(p), his, los)
          : new Group(p, Cidr.maskHi(p), Cidr.maskLo(p), his, los));
    }
    return out.toArray(new Group[0]);
  }

  public boolean isEmpty() {
    return v4.length == 0 && v6.length == 0;
  }

  public boolean contains(IpAddress a) {
    if (a == null) {
      return false;
    }
    if (a.v4) {
      for (Group g : v4) {
        // IPv4 networks are below 2^32, so signed order is unsigned order here.
        if (Arrays.binarySearch(g.los, a.lo & g.maskLo) >= 0) {
          return true;
        }
      }
      return false;
    }
    for (Group g : v6) {
      if (find(g, a.hi & g.maskHi, a.lo & g.maskLo)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the address written in {@code address} is in the set; false when it is not an address. */
  public boolean contains(String address) {
    return contains(IpAddress.parse(address));
  }

  private static boolean find(Group g, long hi, long lo) {
    int low = 0;
    int high = g.his.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = Long.compareUnsigned(g.his[mid], hi);
      if (c == 0) {
        c = Long.compareUnsigned(g.los[mid], lo);
      }
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }
}
