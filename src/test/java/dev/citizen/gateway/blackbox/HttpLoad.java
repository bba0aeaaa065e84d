package dev.citizen.gateway.blackbox;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Continuous HTTP/1.1 load from blocking-socket workers that count every failure: a request
 * written (or a connection that could not be opened for it) either gets a complete 200 response or
 * is recorded in {@link #failures}, with no retries. Two kinds of worker:
 *
 * <ul>
 *   <li>keep-alive: sends request after request on one connection, and opens a new one only after
 *       a response said {@code Connection: close} (as a well-behaved client does);
 *   <li>new connection per request: connect, one request with {@code Connection: close}, read the
 *       response, disconnect.
 * </ul>
 *
 * A worker opens a connection only while {@code mayConnect} says so (a load balancer's view of the
 * instance); a keep-alive worker keeps using the connection it has regardless.
 */
final class HttpLoad implements AutoCloseable {
  /** A parsed response: status, whether it said Connection: close, body, when it was read. */
  record Response(int status, boolean close, String body, long nanos) {}

  private final int port;
  private final String path;
  private final BooleanSupplier mayConnect;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  final AtomicLong sent = new AtomicLong();
  final AtomicLong ok = new AtomicLong();
  /** Responses that carried Connection: close on a keep-alive worker's connection. */
  final AtomicLong closeAnnounced = new AtomicLong();
  final Queue<String> failures = new ConcurrentLinkedQueue<>();
  /** Successful responses by body (backends answer with their name). */
  final Map<String, AtomicLong> byBody = new ConcurrentHashMap<>();
  /** Successful responses read after {@link #mark} was set, by body. */
  final Map<String, AtomicLong> byBodyAfterMark = new ConcurrentHashMap<>();
  private volatile long markNanos = Long.MAX_VALUE;

  HttpLoad(int port, String path, int keepAliveWorkers, int newConnectionWorkers, BooleanSupplier mayConnect) {
    this.port = port;
    this.path = path;
    this.mayConnect = mayConnect;
    for (int i = 0; i < keepAliveWorkers; i++) {
      threads.add(new Thread(this::keepAliveWorker, "load-keep-alive-" + i));
    }
    for (int i = 0; i < newConnectionWorkers; i++) {
      threads.add(new Thread(this::newConnectionWorker, "load-new-connection-" + i));
    }
    threads.forEach(Thread::start);
  }

  /** From now on, successes are also counted in {@link #byBodyAfterMark}. */
  void mark() {
    markNanos = System.nanoTime();
  }

  private void keepAliveWorker() {
    Conn socket = null;
    long n = 0;
    while (running) {
      if (socket == null) {
        if (!mayConnect.getAsBoolean()) {
          pause();
          continue;
        }
        sent.incrementAndGet();
        try {
          socket = connect(port);
        } catch (IOException e) {
          failures.add("keep-alive connect: " + e);
          continue;
        }
      } else {
        sent.incrementAndGet();
      }
      try {
        Response r = exchange(socket, "GET " + path + "?ka=" + n++ + " HTTP/1.1\r\nHost: load\r\n\r\n");
        count(r, "keep-alive");
        if (r.close()) {
          closeAnnounced.incrementAndGet();
          socket.close();
          socket = null;
        }
      } catch (IOException e) {
        failures.add("keep-alive request " + n + ": " + e);
        closeQuietly(socket);
        socket = null;
      }
    }
    closeQuietly(socket);
  }

  private void newConnectionWorker() {
    long n = 0;
    while (running) {
      if (!mayConnect.getAsBoolean()) {
        pause();
        continue;
      }
      sent.incrementAndGet();
      try (Conn socket = connect(port)) {
        count(exchange(socket, "GET " + path + "?nc=" + n++ + " HTTP/1.1\r\nHost: load\r\nConnection: close\r\n\r\n"),
            "new-connection");
      } catch (IOException e) {
        failures.add("new-connection request " + n + ": " + e);
      }
    }
  }

  private void count(Response r, String kind) {
    if (r.status() != 200) {
      failures.add(kind + ": status " + r.status() + " " + r.body());
      return;
    }
    ok.incrementAndGet();
    byBody.computeIfAbsent(r.body(), k -> new AtomicLong()).incrementAndGet();
    if (r.nanos() >= markNanos) {
      byBodyAfterMark.computeIfAbsent(r.body(), k -> new AtomicLong()).incrementAndGet();
    }
  }

  /** A client connection with its buffered input (one per socket, so no bytes are lost). */
  record Conn(Socket socket, InputStream in) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static Conn connect(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setTcpNoDelay(true);
    s.setSoTimeout(5000); // no response within this counts as a missing response
    return new Conn(s, new BufferedInputStream(s.getInputStream()));
  }

  /** Writes {@code request} and reads one response with a Content-Length body. */
  static Response exchange(Conn c, String request) throws IOException {
    OutputStream out = c.socket().getOutputStream();
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return read(c);
  }

  static Response read(Conn c) throws IOException {
    String head = readHead(c.in());
    int status = RawHttp.statusOf(head);
    String length = RawHttp.headerOf(head, "Content-Length");
    if (status < 0 || length == null) {
      throw new IOException("unexpected response head: " + head);
    }
    int n = Integer.parseInt(length);
    byte[] body = c.in().readNBytes(n);
    if (body.length < n) {
      throw new EOFException("body cut after " + body.length + " of " + n + " bytes");
    }
    boolean close = RawHttp.headerLines(head, "Connection").stream().anyMatch(v -> v.equalsIgnoreCase("close"));
    return new Response(status, close, new String(body, StandardCharsets.ISO_8859_1), System.nanoTime());
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException(head.size() == 0 ? "connection closed, no response"
            : "connection closed inside a response head");
      }
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Conn s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  /** Stops the workers after their current request and waits for them. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(10_000);
    }
  }

  String summary() {
    return "sent " + sent + ", ok " + ok + ", Connection: close seen " + closeAnnounced + ", by backend " + byBody
        + ", failures " + failures.size() + (failures.isEmpty() ? "" : ": " + failures.stream().limit(10).toList());
  }
}
