package dev.citizen.gateway.blackbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw TCP client for requests no well-behaved HTTP client would send (smuggling attempts,
 * malformed heads, slow clients). Reads until the server closes or a timeout passes.
 */
final class RawHttp implements AutoCloseable {
  final Socket socket;

  RawHttp(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(5000);
  }

  RawHttp send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  RawHttp send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** Everything the server sends until it closes the connection (or {@code timeoutMillis}). */
  String readUntilClose(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      out.write("<<timeout>>".getBytes(StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      out.write("<<reset>>".getBytes(StandardCharsets.ISO_8859_1));
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** True when the server closed the connection (EOF or reset) within {@code timeoutMillis}. */
  boolean closedWithin(int timeoutMillis) throws IOException {
    String rest = readUntilClose(timeoutMillis);
    return !rest.endsWith("<<timeout>>");
  }

  /** Reads one response head plus a Content-Length body, leaving the connection open. */
  String readResponse() throws IOException {
    String h = readThroughEmptyLine();
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = socket.getInputStream().readNBytes(length);
    return h + new String(body, StandardCharsets.ISO_8859_1);
  }

  /** Connects, sends {@code request}, returns its response ({@link #readResponse}) and disconnects. */
  static String responseTo(int port, String request) throws IOException {
    try (RawHttp c = new RawHttp(port)) {
      return c.send(request).readResponse();
    }
  }

  /** Connects, sends {@code request}, returns everything until the server closes (or timeout). */
  static String exchange(int port, String request, int timeoutMillis) throws IOException {
    try (RawHttp c = new RawHttp(port)) {
      c.send(request);
      return c.readUntilClose(timeoutMillis);
    }
  }

  /** Status code of the first response in {@code raw}, or -1 when there is none. */
  static int statusOf(String raw) {
    if (!raw.startsWith("HTTP/1.")) {
      return -1;
    }
    int sp = raw.indexOf(' ');
    return Integer.parseInt(raw.substring(sp + 1, sp + 4));
  }

  /** How many response status lines ({@code HTTP/1.x NNN }) {@code raw} holds, wherever they start. */
  static int responseCount(String raw) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("HTTP/1\\.[01] \\d{3} ").matcher(raw);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** First value of header {@code name} (case-insensitive) in the first response head, or null. */
  static String headerOf(String raw, String name) {
    java.util.List<String> values = headerLines(raw, name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** The body after the first response head (all the rest of {@code raw}). */
  static String bodyOf(String raw) {
    int end = raw.indexOf("\r\n\r\n");
    return end < 0 ? "" : raw.substring(end + 4);
  }

  /** Reads one response head (through the empty line), leaving any body unread. */
  String readHead() throws IOException {
    String head = readThroughEmptyLine();
    if (!head.endsWith("\r\n\r\n")) {
      throw new java.io.EOFException("connection closed after " + head.length() + " bytes of a head: " + head);
    }
    return head;
  }

  /** Reads through the first CRLF CRLF, or all there is when the connection closes before it. */
  private String readThroughEmptyLine() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads a chunked body (after {@link #readHead}) through the last chunk and empty trailer. */
  byte[] readChunkedBody() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailer fields
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      if (!readLine(in).isEmpty()) {
        throw new IOException("chunk data not followed by CRLF");
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new java.io.EOFException("connection closed mid-line: " + sb);
      }
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    return sb.toString();
  }

  /** All values of header {@code name} (case-insensitive), one per header line, in {@code head}. */
  static java.util.List<String> headerLines(String head, String name) {
    int end = head.indexOf("\r\n\r\n");
    String h = end < 0 ? head : head.substring(0, end);
    java.util.List<String> values = new java.util.ArrayList<>();
    for (String line : h.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
        values.add(line.substring(colon + 1).trim());
      }
    }
    return values;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
