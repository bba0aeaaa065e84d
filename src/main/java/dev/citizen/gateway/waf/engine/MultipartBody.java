package dev.citizen.gateway.waf.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The multipart/form-data request body processor, after ModSecurity's multipart.c/.cc: boundary
 * extraction from Content-Type with its strictness flags, line-by-line parsing of parts, part
 * headers and Content-Disposition, and the MULTIPART_* flags CRS and the recommended config read.
 * A hard error stops parsing and is reported as the request body error.
 */
final class MultipartBody {

  /** One part: a form field when {@code filename} is null, else a file. */
  record Part(String name, String filename, String value, List<String> headerLines) {}

  boolean boundaryQuoted;
  boolean boundaryWhitespace;
  boolean missingSemicolon;
  boolean dataBefore;
  boolean dataAfter;
  boolean headerFolding;
  boolean invalidHeaderFolding;
  boolean lfLine;
  boolean crlfLine;
  boolean invalidQuoting;
  boolean invalidPart;
  boolean fileLimitExceeded;
  boolean unmatchedBoundary;
  /** The first hard error, or null. */
  String error;
  final List<Part> parts = new ArrayList<>();

  private String boundary;
  private boolean complete;
  private int boundaryCount;
  // The part being read.
  private boolean inPart;
  private boolean inHeaders;
  private final List<String[]> headers = new ArrayList<>();
  private final StringBuilder data = new StringBuilder();

  static MultipartBody parse(String contentType, String body, int fileLimit) {
    MultipartBody m = new MultipartBody();
    try {
      m.init(contentType);
      m.process(body);
      m.finish(body);
      if (fileLimit > 0) {
        int files = 0;
        for (Part p : m.parts) {
          if (p.filename() != null) {
            files++;
          }
        }
        m.fileLimitExceeded = files > fileLimit;
      }
    } catch (MultipartException e) {
      m.error = e.getMessage();
    }
    return m;
  }

  /** MULTIPART_STRICT_ERROR as ModSecurity computes it. */
  boolean strictError() {
    return error != null || boundaryQuoted || boundaryWhitespace || dataBefore || dataAfter
        || headerFolding || lfLine || missingSemicolon || invalidQuoting || invalidPart
        || invalidHeaderFolding || fileLimitExceeded;
  }

  private static final class MultipartException extends Exception {
    private static final long serialVersionUID = 1L;

    MultipartException(String message) {
      super(message);
    }
  }

  /**
   * ModSecurity's count_boundary_params: occurrences of "boundary" (any case) with an '=' somewhere
   * after them. Browsers' own boundaries contain the word (----WebKitFormBoundary...) but no '='.
   */
  static int countBoundaryParams(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    int count = 0;
    for (int at = lower.indexOf("boundary"); at >= 0; at = lower.indexOf("boundary", at + 8)) {
      if (lower.indexOf('=', at + 8) >= 0) {
        count++;
      }
    }
    return count;
  }

  private void init(String contentType) throws MultipartException {
    if (contentType == null) {
      throw new MultipartException("Multipart: Content-Type missing.");
    }
    if (countBoundaryParams(contentType) > 1) {
      throw new MultipartException("Multipart: Multiple boundary parameters in C-T.");
    }
    int b = contentType.indexOf("boundary");
    if (b < 0) {
      throw new MultipartException("Multipart: Boundary not found in C-T.");
    }
    boolean seenSemicolon = false;
    for (int i = Math.min(19, b); i < b; i++) {
      char c = contentType.charAt(i);
      if (!isSpace(c)) {
        if (!seenSemicolon && c == ';') {
          seenSemicolon = true;
        } else {
          throw new MultipartException("Multipart: Invalid boundary in C-T (malformed).");
        }
      }
    }
    if (!seenSemicolon) {
      missingSemicolon = true;
    }
    int eq = contentType.indexOf('=', b + 8);
    if (eq < 0) {
      throw new MultipartException("Multipart: Invalid boundary in C-T (malformed).");
    }
    for (int i = b + 8; i < eq; i++) {
      if (isSpace(contentType.charAt(i))) {
        boundaryWhitespace = true;
      } else {
        throw new MultipartException("Multipart: Invalid boundary in C-T (parameter name).");
      }
    }
    String v = contentType.substring(eq + 1);
    if (!v.isEmpty() && isSpace(v.charAt(0))) {
      boundaryWhitespace = true;
    }
    int len = v.length();
    if (len >= 2 && v.charAt(0) == '"' && v.charAt(len - 1) == '"') {
      boundary = v.substring(1, len - 1);
      boundaryQuoted = true;
    } else {
      if (len >= 1 && (v.charAt(0) == '"' || v.charAt(len - 1) == '"')) {
        throw new MultipartException("Multipart: Invalid boundary in C-T (quote).");
      }
      boundary = v;
    }
    if (countBoundaryParams(boundary) != 0) {
      throw new MultipartException("Multipart: Invalid boundary in C-T (content).");
    }
    if (!validBoundary(boundary)) {
      throw new MultipartException("Multipart: Invalid boundary in C-T (characters).");
    }
  }

  /** RFC 2046 bchars, 1..70 long, not ending in a space. */
  private static boolean validBoundary(String b) {
    if (b.isEmpty() || b.length() > 70 || b.charAt(b.length() - 1) == ' ') {
      return false;
    }
    for (int i = 0; i < b.length(); i++) {
      char c = b.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || "'()+_,-./:=? ".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private void process(String body) throws MultipartException {
    int pos = 0;
    int n = body.length();
    while (pos < n) {
      int nl = body.indexOf('\n', pos);
      int end = nl < 0 ? n : nl + 1;
      String line = body.substring(pos, end);
      pos = end;
      if (nl < 0) {
        // The last bytes without a line end: the final boundary without CRLF is checked in finish.
        if (line.equals("--" + boundary + "--")) {
          continue;
        }
      }
      processLine(line, nl >= 0);
    }
  }

  private void processLine(String line, boolean terminated) throws MultipartException {
    if (line.length() > 1 && line.charAt(0) == '-' && line.charAt(1) == '-') {
      if (line.length() >= 2 + boundary.length() && line.startsWith(boundary, 2)) {
        int p = 2 + boundary.length();
        boolean isFinal = false;
        if (line.startsWith("--", p)) {
          isFinal = true;
          p += 2;
          if (complete) {
            throw new MultipartException("Multipart: Invalid boundary (final duplicate).");
          }
        }
        String rest = line.substring(p);
        if (rest.equals("\r\n") || rest.equals("\n")) {
          if (rest.equals("\n")) {
            lfLine = true;
          } else {
            crlfLine = true;
          }
          boundary(isFinal);
          if (isFinal) {
            complete = true;
          }
          boundaryCount++;
          return;
        }
        throw new MultipartException("Multipart: Invalid boundary: " + line.strip());
      }
      if (boundaryQuoted && line.length() >= boundary.length() + 3 && line.charAt(2) == '"'
          && line.startsWith(boundary, 3)) {
        throw new MultipartException("Multipart: Invalid boundary (quotes).");
      }
      int p = 2;
      while (p < line.length() && isSpace(line.charAt(p))) {
        p++;
      }
      if (p != 2 && line.startsWith(boundary, p)) {
        throw new MultipartException("Multipart: Invalid boundary (whitespace).");
      }
      unmatchedBoundary = true;
    }
    if (complete) {
      dataAfter = true;
      return;
    }
    if (!inPart) {
      dataBefore = true;
      return;
    }
    if (inHeaders) {
      header(line);
    } else {
      data.append(line);
    }
  }

  private void header(String line) throws MultipartException {
    if (line.endsWith("\r\n")) {
      crlfLine = true;
    } else if (line.endsWith("\n")) {
      lfLine = true;
    }
    String text = stripEol(line);
    if (text.isEmpty()) {
      endHeaders();
      return;
    }
    if (isSpace(text.charAt(0))) {
      if (headers.isEmpty()) {
        invalidHeaderFolding = true;
        throw new MultipartException("Multipart: Invalid part header (folding error).");
      }
      headerFolding = true;
      String[] last = headers.get(headers.size() - 1);
      last[1] = last[1] + " " + text.strip();
      return;
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new MultipartException("Multipart: Invalid part header (colon missing).");
    }
    String name = text.substring(0, colon);
    if (name.isEmpty()) {
      throw new MultipartException("Multipart: Invalid part header (header name missing).");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= 32 || c >= 127) {
        invalidPart = true;
        throw new MultipartException("Multipart: Invalid part header (header name).");
      }
    }
    for (String[] h : headers) {
      if (h[0].equalsIgnoreCase(name)) {
        throw new MultipartException("Multipart: Duplicate part header: " + name + ".");
      }
    }
    int v = colon + 1;
    while (v < text.length() && isSpace(text.charAt(v))) {
      v++;
    }
    headers.add(new String[] {name, text.substring(v)});
  }

  private String partName;
  private String partFilename;

  private void endHeaders() throws MultipartException {
    String cd = null;
    for (String[] h : headers) {
      if (h[0].equalsIgnoreCase("Content-Disposition")) {
        cd = h[1];
      }
    }
    if (cd == null) {
      throw new MultipartException("Multipart: Part missing Content-Disposition header.");
    }
    contentDisposition(cd);
    if (partName == null) {
      throw new MultipartException("Multipart: Content-Disposition header missing name field.");
    }
    inHeaders = false;
  }

  private void contentDisposition(String v) throws MultipartException {
    partName = null;
    partFilename = null;
    if (!v.startsWith("form-data")) {
      throw new MultipartException("Multipart: Invalid Content-Disposition header.");
    }
    int p = 9;
    int n = v.length();
    while (p < n) {
      while (p < n && isSpace(v.charAt(p))) {
        p++;
      }
      if (p >= n) {
        break;
      }
      if (v.charAt(p) != ';') {
        throw new MultipartException("Multipart: Invalid Content-Disposition header (expected ;).");
      }
      p++;
      while (p < n && isSpace(v.charAt(p))) {
        p++;
      }
      if (p >= n) {
        throw new MultipartException("Multipart: Invalid Content-Disposition header (trailing ;).");
      }
      int start = p;
      while (p < n && v.charAt(p) != '=' && !isSpace(v.charAt(p))) {
        p++;
      }
      String name = v.substring(start, p);
      while (p < n && isSpace(v.charAt(p))) {
        p++;
      }
      if (p >= n || v.charAt(p) != '=') {
        throw new MultipartException("Multipart: Invalid Content-Disposition header (expected =).");
      }
      p++;
      while (p < n && isSpace(v.charAt(p))) {
        p++;
      }
      String value;
      if (p < n && v.charAt(p) == '"') {
        p++;
        StringBuilder b = new StringBuilder();
        boolean closed = false;
        while (p < n) {
          char c = v.charAt(p);
          if (c == '\\') {
            if (p + 1 >= n) {
              throw new MultipartException("Multipart: Invalid Content-Disposition header (escape).");
            }
            if (v.charAt(p + 1) == '"' || v.charAt(p + 1) == '\\') {
              p++;
            }
          } else if (c == '"') {
            closed = true;
            p++;
            break;
          }
          b.append(v.charAt(p));
          p++;
        }
        if (!closed) {
          throw new MultipartException("Multipart: Invalid Content-Disposition header (quote).");
        }
        value = b.toString();
      } else {
        start = p;
        while (p < n && v.charAt(p) != ';' && !isSpace(v.charAt(p))) {
          p++;
        }
        value = v.substring(start, p);
      }
      if (value.indexOf('\'') >= 0 && !name.equals("filename*")) {
        invalidQuoting = true;
      }
      switch (name) {
        case "name" -> {
          if (partName != null) {
            throw new MultipartException("Multipart: Duplicate Content-Disposition name: " + value + ".");
          }
          partName = value;
        }
        case "filename", "filename*" -> {
          if (partFilename != null && name.equals("filename")) {
            throw new MultipartException("Multipart: Duplicate Content-Disposition filename: " + value + ".");
          }
          if (name.equals("filename*")) {
            int q = value.indexOf("''");
            partFilename = q >= 0 ? value.substring(q + 2) : value;
          } else {
            partFilename = value;
          }
        }
        default -> throw new MultipartException(
            "Multipart: Invalid Content-Disposition header (unknown parameter " + name + ").");
      }
    }
  }

  private void boundary(boolean isFinal) throws MultipartException {
    if (inPart) {
      if (inHeaders) {
        throw new MultipartException("Multipart: Part headers incomplete.");
      }
      String value = data.toString();
      if (value.endsWith("\r\n")) {
        value = value.substring(0, value.length() - 2);
      } else if (value.endsWith("\n")) {
        value = value.substring(0, value.length() - 1);
      }
      List<String> lines = new ArrayList<>();
      for (String[] h : headers) {
        lines.add(h[0] + ": " + h[1]);
      }
      parts.add(new Part(partName, partFilename, value, List.copyOf(lines)));
    }
    data.setLength(0);
    headers.clear();
    inPart = !isFinal;
    inHeaders = !isFinal;
  }

  private void finish(String body) throws MultipartException {
    if (body.isEmpty() || complete) {
      return;
    }
    if (boundaryCount > 0) {
      String tail = "--" + boundary + "--";
      if (body.endsWith(tail) && !inHeaders) {
        boundary(true);
        complete = true;
        return;
      }
      throw new MultipartException("Multipart: Final boundary missing.");
    }
    throw new MultipartException("Multipart: No boundaries found in payload.");
  }

  private static String stripEol(String line) {
    if (line.endsWith("\r\n")) {
      return line.substring(0, line.length() - 2);
    }
    if (line.endsWith("\n")) {
      return line.substring(0, line.length() - 1);
    }
    return line;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x0b || c == 0x0c;
  }
}
