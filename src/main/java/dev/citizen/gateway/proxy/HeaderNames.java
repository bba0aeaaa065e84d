package dev.citizen.gateway.proxy;

import java.util.List;

/**
 * A small fixed set of header names with a case-insensitive, allocation-free {@link #contains}:
 * the length is compared first, so most names are rejected in one comparison.
 */
public final class HeaderNames {
  private final String[] names;

  private HeaderNames(String[] names) {
    this.names = names;
  }

  public static HeaderNames of(String... names) {
    return new HeaderNames(names.clone());
  }

  public boolean contains(String name) {
    int len = name.length();
    for (String n : names) {
      if (n.length() == len && n.regionMatches(true, 0, name, 0, len)) {
        return true;
      }
    }
    return false;
  }

  List<String> names() {
    return List.of(names);
  }
}
