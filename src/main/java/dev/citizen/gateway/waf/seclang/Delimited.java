package dev.citizen.gateway.waf.seclang;

/**
 * A delimited piece of a rule line: a double-quoted argument, a single-quoted action value, a
 * {@code /regex/} selector. A backslash before the delimiter escapes it; in double-quoted
 * arguments {@code \\} is one backslash too (Apache's reading, see {@link Arguments}).
 *
 * @param value the text between the delimiters, escapes resolved
 * @param end the index just after the closing delimiter, or -1 when there is none
 */
record Delimited(String value, int end) {

  /** Reads from {@code open}, the index of the opening delimiter {@code delim}. */
  static Delimited read(String text, int open, char delim, boolean backslashEscapesItself) {
    StringBuilder b = new StringBuilder();
    int n = text.length();
    int i = open + 1;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < n
          && (text.charAt(i + 1) == delim || (backslashEscapesItself && text.charAt(i + 1) == '\\'))) {
        b.append(text.charAt(i + 1));
        i += 2;
      } else if (c == delim) {
        return new Delimited(b.toString(), i + 1);
      } else {
        b.append(c);
        i++;
      }
    }
    return new Delimited(b.toString(), -1);
  }
}
