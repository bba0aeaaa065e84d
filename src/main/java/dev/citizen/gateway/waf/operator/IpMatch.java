package dev.citizen.gateway.waf.operator;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code @ipMatch 127.0.0.1,::1,10.0.0.0/8} and {@code @ipMatchFromFile} (one address or CIDR
 * block per line): matches when the value is an IPv4 or IPv6 address inside one of the blocks.
 * A value that is not an address literal never matches (and is never resolved through DNS).
 */
final class IpMatch implements Operator {
  private record Block(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Block> blocks;

  private IpMatch(List<Block> blocks) {
    this.blocks = blocks;
  }

  static IpMatch of(String parameter) {
    List<Block> blocks = new ArrayList<>();
    for (String item : parameter.split("[,\\s]+")) {
      if (!item.isEmpty()) {
        blocks.add(block(item, "@ipMatch"));
      }
    }
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("@ipMatch: no addresses given");
    }
    return new IpMatch(List.copyOf(blocks));
  }

  static IpMatch fromFile(String parameter, Path baseDir) {
    List<Block> blocks = new ArrayList<>();
    for (String line : PhraseMatch.readLines(PhraseMatch.resolve(baseDir, parameter.trim()), "@ipMatchFromFile")) {
      blocks.add(block(line.strip(), "@ipMatchFromFile"));
    }
    return new IpMatch(List.copyOf(blocks));
  }

  private static Block block(String text, String operator) {
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    byte[] address = parse(host);
    if (address == null) {
      throw new IllegalArgumentException(operator + ": not an IP address: " + text);
    }
    int prefix = address.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > address.length * 8) {
        throw new IllegalArgumentException(operator + ": bad prefix length in " + text);
      }
    }
    return new Block(address, prefix);
  }

  /** The bytes of an IPv4 or IPv6 literal, or null when {@code s} is not one. */
  static byte[] parse(String s) {
    if (s.isEmpty() || s.length() > 45) {
      return null;
    }
    if (s.indexOf(':') < 0) {
      String[] parts = s.split("\\.", -1);
      if (parts.length != 4) {
        return null;
      }
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        String p = parts[i];
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
          return null;
        }
        int v = Integer.parseInt(p);
        if (v > 255) {
          return null;
        }
        b[i] = (byte) v;
      }
      return b;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
      if (!ok) {
        return null;
      }
    }
    try {
      // Only hex digits, colons and dots reach here: a literal, so no DNS lookup happens. The
      // JDK returns an IPv4-mapped literal (::ffff:a.b.c.d) as IPv4, so it meets IPv4 blocks.
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Override
  public boolean test(OperatorContext ctx, String input) {
    byte[] address = parse(input.trim());
    if (address == null) {
      return false;
    }
    for (Block b : blocks) {
      if (b.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
