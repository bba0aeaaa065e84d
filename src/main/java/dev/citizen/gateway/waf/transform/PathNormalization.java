package dev.citizen.gateway.waf.transform;

/**
 * {@code normalizePath} / {@code normalisePath} and their {@code Win} variants: removes {@code ./}
 * self-references, resolves {@code ../} back-references and collapses repeated slashes, keeping a
 * trailing slash only if there was one. The Windows variant first turns {@code \} into {@code /}.
 * A line-by-line port of ModSecurity's {@code normalize_path_inplace}, whose edge cases (relative
 * paths that climb above their start keep their {@code ../}) CRS's LFI rules rely on.
 */
final class PathNormalization {
  private PathNormalization() {}

  static String unix(String in) {
    return normalize(in, false);
  }

  static String windows(String in) {
    return normalize(in, true);
  }

  /**
   * Without a separator the value is one segment, and the walk below only changes one that ends
   * in {@code .} ({@code .} itself, or a back-reference such as {@code a..}): anything else comes
   * back as it is, so it is not copied and walked. Most values (every JSON argument name, free
   * text) are such; CRS applies these transformations to all of them.
   */
  static String normalize(String in, boolean win) {
    if (in.indexOf('/') < 0 && (!win || in.indexOf('\\') < 0) && !in.endsWith(".")) {
      return in;
    }
    return walk(in, win);
  }

  /** ModSecurity's walk, for any value. */
  static String walk(String in, boolean win) {
    int n = in.length();
    if (n == 0) {
      return in;
    }
    char[] b = in.toCharArray();
    int src = 0;
    int dst = 0;
    int end = n - 1;
    boolean hitRoot = false;
    boolean done = false;
    boolean relative = !(b[0] == '/' || (win && b[0] == '\\'));
    boolean trailing = b[end] == '/' || (win && b[end] == '\\');

    while (!done && src <= end && dst <= end) {
      if (win) {
        if (b[src] == '\\') {
          b[src] = '/';
        }
        if (src < end && b[src + 1] == '\\') {
          b[src + 1] = '/';
        }
      }
      boolean normalizeSegment;
      if (src == end) {
        done = true;
        normalizeSegment = true;
      } else {
        normalizeSegment = b[src + 1] == '/';
      }

      boolean skipCopy = false;
      if (normalizeSegment) {
        if (src != end && b[src] == '/') {
          // An empty segment: the copy below collapses it.
        } else if (b[src] == '.') {
          if (dst > 0 && b[dst - 1] == '.') {
            // A back-reference.
            if (relative && (hitRoot || dst - 2 <= 0)) {
              hitRoot = true;
            } else {
              dst -= 3;
              while (dst > 0 && b[dst] != '/') {
                dst--;
              }
              if (dst <= 0) {
                hitRoot = true;
                dst = 0;
                // Keep the root slash of an absolute path that ends on a back-reference.
                if (!relative && src == end) {
                  dst++;
                }
              }
              if (done) {
                skipCopy = true;
              } else {
                src++;
              }
            }
          } else if (dst == 0) {
            // A relative self-reference.
            if (done) {
              skipCopy = true;
            } else {
              src++;
            }
          } else if (b[dst - 1] == '/') {
            // A self-reference.
            if (done) {
              skipCopy = true;
            } else {
              dst--;
              src++;
            }
          }
        } else if (dst > 0) {
          hitRoot = false;
        }
      }

      if (skipCopy) {
        continue;
      }
      // Copy the byte; several slashes in a row become the last one.
      if (b[src] == '/') {
        while (src < end && (b[src + 1] == '/' || (win && b[src + 1] == '\\'))) {
          src++;
        }
        // A relative path never starts with a slash: move over it to the next segment.
        if (relative && dst == 0) {
          src++;
          continue;
        }
      }
      b[dst++] = b[src++];
    }
    if (!trailing && dst > 0 && b[dst - 1] == '/') {
      dst--;
    }
    return Bytes.sameOr(in, b, dst);
  }
}
