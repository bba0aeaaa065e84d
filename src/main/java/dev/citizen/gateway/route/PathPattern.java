package dev.citizen.gateway.route;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled route path: {@code /a/b} (exact), {@code /a/{id}} (template, a variable matches one
 * non-empty segment) or {@code /a/**} (prefix: {@code /a} itself and everything below it). A prefix
 * may contain variables too ({@code /tenants/{t}/**}).
 *
 * <p>Patterns are compared most specific first: exact, then template, then prefix; within a kind,
 * more literal characters first.
 */
public final class PathPattern {

  /** How a pattern matches, in order of precedence. */
  public enum Kind { EXACT, TEMPLATE, PREFIX }

  private final String source;
  private final Kind kind;
  /** Segments without the trailing "**"; null entries are variables. */
  private final String[] segments;
  /** For EXACT and variable-free PREFIX patterns: the literal path ("" for "/**"). */
  private final String literal;
  private final boolean trailingSlash;
  private final int literalLength;

  private PathPattern(String source, Kind kind, String[] segments, String literal, boolean trailingSlash) {
    this.source = source;
    this.kind = kind;
    this.segments = segments;
    this.literal = literal;
    this.trailingSlash = trailingSlash;
    int len = 0;
    for (String s : segments) {
      len += s == null ? 0 : s.length() + 1;
    }
    this.literalLength = len;
  }

  /** Compiles a pattern; throws IllegalArgumentException saying what was expected. */
  public static PathPattern compile(String pattern) {
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("must start with /");
    }
    if (pattern.indexOf('?') >= 0 || pattern.indexOf('#') >= 0 || pattern.indexOf('%') >= 0
        || pattern.indexOf('\\') >= 0 || pattern.indexOf(' ') >= 0) {
      throw new IllegalArgumentException("must be a plain path with no ?, #, %, \\ or spaces");
    }
    boolean prefix = pattern.equals("/**") || pattern.endsWith("/**");
    String body = prefix ? pattern.substring(0, pattern.length() - 3) : pattern;
    boolean trailingSlash = !prefix && body.length() > 1 && body.endsWith("/");
    String[] parts = body.isEmpty() || body.equals("/") ? new String[0] : body.substring(1).split("/", -1);
    if (trailingSlash) {
      parts = java.util.Arrays.copyOf(parts, parts.length - 1);
    }
    List<String> segs = new ArrayList<>();
    boolean hasVar = false;
    for (String p : parts) {
      if (p.isEmpty()) {
        throw new IllegalArgumentException("empty segment (//)");
      }
      if (p.equals(".") || p.equals("..")) {
        throw new IllegalArgumentException("dot segments are not allowed");
      }
      if (p.contains("*")) {
        throw new IllegalArgumentException("** is only allowed as the last segment");
      }
      if (p.startsWith("{") && p.endsWith("}")) {
        String name = p.substring(1, p.length() - 1);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new IllegalArgumentException("bad variable name {" + name + "}");
        }
        segs.add(null);
        hasVar = true;
      } else if (p.contains("{") || p.contains("}")) {
        throw new IllegalArgumentException("a variable must be a whole segment, such as /{id}");
      } else {
        segs.add(p);
      }
    }
    String[] segments = segs.toArray(new String[0]);
    Kind kind = prefix ? Kind.PREFIX : hasVar ? Kind.TEMPLATE : Kind.EXACT;
    String literal = hasVar ? null : (prefix ? body : pattern);
    return new PathPattern(pattern, kind, segments, literal, trailingSlash);
  }

  public boolean matches(String path) {
    switch (kind) {
      case EXACT:
        return path.equals(literal);
      case PREFIX:
        if (literal != null) {
          return literal.isEmpty() || (path.startsWith(literal)
              && (path.length() == literal.length() || path.charAt(literal.length()) == '/'));
        }
        return matchSegments(path, true);
      default:
        return matchSegments(path, false);
    }
  }

  /** Segment-wise match without allocating. */
  private boolean matchSegments(String path, boolean prefix) {
    int pos = 0; // at a '/'
    int n = path.length();
    for (String seg : segments) {
      if (pos >= n || path.charAt(pos) != '/') {
        return false;
      }
      int start = pos + 1;
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = n;
      }
      if (seg == null) {
        if (end == start) {
          return false;
        }
      } else if (end - start != seg.length() || !path.regionMatches(start, seg, 0, seg.length())) {
        return false;
      }
      pos = end;
    }
    if (prefix) {
      return pos == n || path.charAt(pos) == '/';
    }
    return trailingSlash ? pos == n - 1 && path.charAt(pos) == '/' : pos == n;
  }

  public Kind kind() {
    return kind;
  }

  /** Characters of literal text; more is more specific. */
  public int literalLength() {
    return literalLength;
  }

  @Override
  public String toString() {
    return source;
  }
}
