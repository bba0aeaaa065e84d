package dev.citizen.gateway.waf.transform;

/**
 * {@code cmdLine}: undoes the tricks that shells (Windows cmd and Unix sh) let an attacker play on
 * a command line, after ModSecurity: deletes {@code \ " ' ^}; turns each run of space, tab, CR,
 * LF, {@code ,} and {@code ;} into one space; drops a space before {@code /} or {@code (}; lowercases
 * the rest (ASCII only).
 */
final class CmdLine {
  private CmdLine() {}

  static String apply(String in) {
    int n = in.length();
    char[] out = new char[n];
    int d = 0;
    boolean space = false;
    for (int i = 0; i < n; i++) {
      char a = in.charAt(i);
      switch (a) {
        case '"', '\'', '\\', '^' -> {}
        case ' ', ',', ';', '\t', '\r', '\n' -> {
          if (!space) {
            out[d++] = ' ';
            space = true;
          }
        }
        case '/', '(' -> {
          if (space) {
            d--;
          }
          space = false;
          out[d++] = a;
        }
        default -> {
          out[d++] = Bytes.toLower(a);
          space = false;
        }
      }
    }
    return Bytes.sameOr(in, out, d);
  }
}
