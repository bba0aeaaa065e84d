package dev.citizen.gateway.filter;

/**
 * A typed key for per-request data on an {@link Exchange}: {@code static final Key<Principal>
 * PRINCIPAL = Key.of("principal")}. Identity-compared, so two keys with one name never clash.
 */
public final class Key<T> {
  private final String name;

  private Key(String name) {
    this.name = name;
  }

  public static <T> Key<T> of(String name) {
    return new Key<>(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
