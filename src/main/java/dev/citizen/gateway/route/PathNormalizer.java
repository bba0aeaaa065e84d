package dev.citizen.gateway.route;

import dev.citizen.gateway.http.Hex;

/**
 * Normalises a request path before routing, so that a path can only reach the route it really
 * names: {@code /api/public/../internal} is {@code /api/internal}, {@code /api/%2e%2e/internal}
 * too, and {@code /api/%61dmin} is {@code /api/admin}.
 *
 * <p>Rules (RFC 3986 §6.2.2): percent-encoded unreserved characters are decoded; dot segments are
 * removed (never above the root); repeated slashes are merged. An encoded slash ({@code %2F}) or
 * backslash ({@code %5C}), a raw backslash, an encoded NUL, malformed percent-encoding and dot
 * segments with parameters ({@code /..;/}, which Tomcat and Spring read as {@code ..}) are
 * rejected, because services disagree on what they mean and that disagreement is how routing is
 * bypassed. Other percent-encodings ({@code %20}, {@code %C3%A9}) are kept byte for byte.
 */
public final class PathNormalizer {

  /** Thrown for a path that cannot be normalised safely; the message is safe to show a client. */
  public static final class InvalidPathException extends Exception {
    public InvalidPathException(String message) {
      super(message, null, false, false);
    }
  }

  private PathNormalizer() {}

  public static String normalize(String path) throws InvalidPathException {
    if (path.isEmpty() || path.charAt(0) != '/') {
      throw new InvalidPathException("path must start with /");
    }
    if (isAlreadyNormal(path)) {
      return path;
    }
    String decoded = decodeUnreserved(path);
    return removeDotSegments(decoded);
  }

  /** Fast path: most paths have no '%', no '\', no "//" and no dot segment. */
  private static boolean isAlreadyNormal(String path) {
    char prev = 0;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' || c == '\\' || (c == '/' && prev == '/')) {
        return false;
      }
      if (c == '.' && prev == '/') {
        char n = i + 1 < path.length() ? path.charAt(i + 1) : '/';
        char n2 = i + 2 < path.length() ? path.charAt(i + 2) : '/';
        if (n == '/' || n == ';' || (n == '.' && (n2 == '/' || n2 == ';'))) {
          return false;
        }
      }
      prev = c;
    }
    return true;
  }

  private static String decodeUnreserved(String path) throws InvalidPathException {
    StringBuilder sb = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\') {
        throw new InvalidPathException("backslash in path");
      }
      if (c != '%') {
        sb.append(c);
        continue;
      }
      if (i + 2 >= path.length() || Hex.value(path.charAt(i + 1)) < 0 || Hex.value(path.charAt(i + 2)) < 0) {
        throw new InvalidPathException("malformed percent-encoding in path");
      }
      int b = Hex.value(path.charAt(i + 1)) * 16 + Hex.value(path.charAt(i + 2));
      if (b == '/' || b == '\\') {
        throw new InvalidPathException("encoded slash or backslash in path");
      }
      if (b == 0) {
        throw new InvalidPathException("encoded NUL in path");
      }
      if (isUnreserved(b)) {
        sb.append((char) b);
      } else {
        sb.append(path, i, i + 3);
      }
      i += 2;
    }
    return sb.toString();
  }

  /** RFC 3986 §5.2.4 on segments, plus merging of empty segments ("//"). */
  private static String removeDotSegments(String path) throws InvalidPathException {
    String[] in = path.split("/", -1);
    String[] out = new String[in.length];
    int n = 0;
    boolean trailingSlash = false;
    for (int i = 1; i < in.length; i++) {
      String seg = in[i];
      boolean last = i == in.length - 1;
      if (seg.startsWith(".;") || seg.startsWith("..;")) {
        // Tomcat and Spring read "..;x" as "..": forwarding it would let a path climb out of the
        // route it matched once it reaches such a service.
        throw new InvalidPathException("dot segment with parameters in path");
      }
      if (seg.equals(".")) {
        trailingSlash = last;
      } else if (seg.equals("..")) {
        if (n > 0) {
          n--;
        }
        trailingSlash = last;
      } else if (seg.isEmpty()) {
        trailingSlash = last;
      } else {
        out[n++] = seg;
        trailingSlash = false;
      }
    }
    StringBuilder sb = new StringBuilder(path.length());
    for (int i = 0; i < n; i++) {
      sb.append('/').append(out[i]);
    }
    if (n == 0 || trailingSlash) {
      sb.append('/');
    }
    return sb.toString();
  }

  private static boolean isUnreserved(int b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
        || b == '-' || b == '.' || b == '_' || b == '~';
  }
}
