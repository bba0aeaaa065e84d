package dev.citizen.gateway.waf.transform;

/**
 * Comment transformations after ModSecurity: {@code replaceComments} (each C comment becomes one
 * space, an unterminated one too), {@code removeComments} (C and HTML comments go; {@code --} and
 * {@code #} end the value) and {@code removeCommentsChar} (only the comment markers go).
 */
final class Comments {
  private Comments() {}

  static String replace(String in) {
    if (in.indexOf("/*") < 0) {
      return in;
    }
    int n = in.length();
    StringBuilder out = new StringBuilder(n);
    boolean inComment = false;
    int i = 0;
    while (i < n) {
      char c = in.charAt(i);
      if (!inComment) {
        if (c == '/' && i + 1 < n && in.charAt(i + 1) == '*') {
          inComment = true;
          i += 2;
        } else {
          out.append(c);
          i++;
        }
      } else if (c == '*' && i + 1 < n && in.charAt(i + 1) == '/') {
        inComment = false;
        i += 2;
        out.append(' ');
      } else {
        i++;
      }
    }
    if (inComment) {
      out.append(' ');
    }
    return out.toString();
  }

  static String remove(String in) {
    int n = in.length();
    char[] buf = in.toCharArray();
    int i = 0;
    int j = 0;
    boolean inComment = false;
    while (i < n) {
      if (!inComment) {
        if (buf[i] == '/' && i + 1 < n && buf[i + 1] == '*') {
          inComment = true;
          i += 2;
        } else if (buf[i] == '<' && i + 3 < n && buf[i + 1] == '!' && buf[i + 2] == '-'
            && buf[i + 3] == '-') {
          inComment = true;
          i += 4;
        } else if (buf[i] == '-' && i + 1 < n && buf[i + 1] == '-') {
          // ModSecurity overwrites the marker with a space and stops; the space is not kept.
          break;
        } else if (buf[i] == '#') {
          break;
        } else {
          buf[j++] = buf[i++];
        }
      } else if (buf[i] == '*' && i + 1 < n && buf[i + 1] == '/') {
        // Older ModSecurity copied the byte after the comment unseen, so "/**//**/" left "/**/";
        // the current code and its test vectors (SELECT/**//**/UNION -> SELECTUNION) do not.
        inComment = false;
        i += 2;
      } else if (buf[i] == '-' && i + 2 < n && buf[i + 1] == '-' && buf[i + 2] == '>') {
        inComment = false;
        i += 3;
      } else {
        i++;
      }
    }
    if (inComment) {
      buf[j++] = ' ';
    }
    return Bytes.sameOr(in, buf, j);
  }

  static String removeChar(String in) {
    int n = in.length();
    StringBuilder out = new StringBuilder(n);
    int i = 0;
    while (i < n) {
      char c = in.charAt(i);
      if (c == '/' && i + 1 < n && in.charAt(i + 1) == '*') {
        i += 2;
      } else if (c == '*' && i + 1 < n && in.charAt(i + 1) == '/') {
        i += 2;
      } else if (c == '<' && in.startsWith("!--", i + 1)) {
        i += 4;
      } else if (c == '-' && in.startsWith("->", i + 1)) {
        i += 3;
      } else if (c == '-' && i + 1 < n && in.charAt(i + 1) == '-') {
        i += 2;
      } else if (c == '#') {
        i++;
      } else {
        out.append(c);
        i++;
      }
    }
    return Bytes.sameOr(in, out);
  }
}
