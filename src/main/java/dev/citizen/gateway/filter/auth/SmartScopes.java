package dev.citizen.gateway.filter.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the scopes a token grants cover the scopes a route requires, with SMART on FHIR
 * semantics for resource scopes ({@code context/ResourceType.permissions}) and exact match for
 * every other scope ({@code openid}, {@code launch/patient}, {@code billing:read}).
 *
 * <p>A granted resource scope covers a required one when
 * <ul>
 *   <li>the context ({@code patient}, {@code user}, {@code system}) is the same: {@code user/*.*}
 *       does not cover {@code patient/Observation.read}, they are different grants in SMART;
 *   <li>its resource type is the same or {@code *}; a required {@code *} is covered only by a
 *       granted {@code *} ({@code patient/Observation.read} does not cover {@code patient/*.read});
 *   <li>its permissions include the required ones. Permissions are compared as SMART v2 letters
 *       {@code c r u d s}: v1 {@code read} is {@code rs}, v1 {@code write} is {@code cud}, v1
 *       {@code *} is {@code cruds}. So {@code patient/*.rs}, {@code patient/*.read},
 *       {@code patient/*.*} and {@code patient/*.cruds} each cover {@code patient/Observation.read},
 *       while {@code patient/Observation.r} alone does not (it lacks search). Permissions of
 *       several granted scopes add up: {@code patient/Observation.r} plus
 *       {@code patient/Observation.s} cover {@code patient/Observation.rs};
 *   <li>it has no query restriction (SMART v2 {@code ?category=...}) or exactly the required one:
 *       a restricted grant is narrower than an unrestricted requirement.
 * </ul>
 * Scopes are case-sensitive (RFC 6749 §3.3). Anything that does not parse as a SMART resource
 * scope (v1 permissions with a query, v2 letters out of order) only matches exactly.
 */
public final class SmartScopes {
  private static final Pattern RESOURCE =
      Pattern.compile("(patient|user|system)/([A-Za-z][A-Za-z0-9]*|\\*)\\.([a-z*]+)(\\?.*)?");
  private static final String LETTERS = "cruds";
  private static final int ALL = 0b11111;

  private SmartScopes() {}

  /** A parsed resource scope: context, resource type or {@code *}, permission bits, query or null. */
  record ResourceScope(String context, String type, int permissions, String query) {}

  /** Whether the prefix says the scope means to be a SMART resource scope. */
  public static boolean looksLikeResourceScope(String scope) {
    return scope.startsWith("patient/") || scope.startsWith("user/") || scope.startsWith("system/");
  }

  /** The scope as a SMART resource scope, or null when it is not one. */
  static ResourceScope parse(String scope) {
    Matcher m = RESOURCE.matcher(scope);
    if (!m.matches()) {
      return null;
    }
    String p = m.group(3);
    String query = m.group(4);
    int bits;
    switch (p) {
      case "read" -> bits = bit('r') | bit('s');
      case "write" -> bits = bit('c') | bit('u') | bit('d');
      case "*" -> bits = ALL;
      default -> {
        bits = v2Letters(p);
        if (bits == 0) {
          return null;
        }
      }
    }
    if (query != null && (p.equals("read") || p.equals("write") || p.equals("*"))) {
      return null; // queries came with v2; a v1 scope with one is not SMART
    }
    return new ResourceScope(m.group(1), m.group(2), bits, query);
  }

  /** Whether {@code s} is a valid SMART resource scope (for checking required scopes in config). */
  public static boolean isResourceScope(String s) {
    return parse(s) != null;
  }

  /** SMART v2 permissions: a non-empty subsequence of "cruds", in that order; 0 when not. */
  private static int v2Letters(String p) {
    int bits = 0;
    int from = 0;
    for (int i = 0; i < p.length(); i++) {
      int at = LETTERS.indexOf(p.charAt(i), from);
      if (at < 0) {
        return 0;
      }
      bits |= 1 << at;
      from = at + 1;
    }
    return bits;
  }

  private static int bit(char letter) {
    return 1 << LETTERS.indexOf(letter);
  }

  /** Whether {@code granted} covers {@code required} (see the class comment). */
  public static boolean covers(Collection<String> granted, String required) {
    if (granted.contains(required)) {
      return true;
    }
    ResourceScope need = parse(required);
    if (need == null) {
      return false;
    }
    int have = 0;
    for (String g : granted) {
      if (!looksLikeResourceScope(g)) {
        continue;
      }
      ResourceScope grant = parse(g);
      if (grant == null || !grant.context().equals(need.context())
          || !(grant.type().equals("*") || grant.type().equals(need.type()))
          || !(grant.query() == null || grant.query().equals(need.query()))) {
        continue;
      }
      have |= grant.permissions();
      if ((have & need.permissions()) == need.permissions()) {
        return true;
      }
    }
    return false;
  }

  /** The required scopes that {@code granted} does not cover, in order; empty when all are. */
  public static List<String> missing(Collection<String> granted, List<String> required) {
    List<String> out = List.of();
    for (String r : required) {
      if (!covers(granted, r)) {
        if (out.isEmpty()) {
          out = new ArrayList<>(required.size());
        }
        out.add(r);
      }
    }
    return out;
  }
}
