package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * TLS clients for black-box tests: a JDK socket with chosen protocols, cipher suites and ALPN
 * offers; one raw HTTP/1.1 exchange over it; and {@code openssl s_client} for what the JDK client
 * refuses to even offer (TLS 1.0/1.1 are disabled in the JDK's java.security).
 */
final class TlsClients {
  private TlsClients() {}

  /**
   * Connects and handshakes to 127.0.0.1:{@code port}; null arrays leave the JDK's defaults. The
   * handshake's failure is thrown.
   */
  static SSLSocket handshake(SSLContext ctx, int port, String[] protocols, String[] suites, String... alpn)
      throws IOException {
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(10_000);
    SSLParameters p = s.getSSLParameters();
    if (protocols != null) {
      p.setProtocols(protocols);
    }
    if (suites != null) {
      p.setCipherSuites(suites);
    }
    if (alpn.length > 0) {
      p.setApplicationProtocols(alpn);
    }
    s.setSSLParameters(p);
    try {
      s.startHandshake();
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** Writes a raw request and reads until the connection closes (send {@code Connection: close}). */
  static String exchange(SSLSocket s, String request) throws IOException {
    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    return readAll(s.getInputStream());
  }

  static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (javax.net.ssl.SSLException | java.net.SocketException e) {
      // the peer closed without close_notify, or reset: what arrived is the answer
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** The result of one openssl s_client run. */
  record OpenSsl(int exit, String output) {
    /** Whether a session was set up (s_client prints "Cipher is (NONE)" when none was). */
    boolean connected() {
      return exit == 0 && output.contains("Cipher is ") && !output.contains("Cipher is (NONE)");
    }
  }

  /**
   * {@link TestGateway#simpleConfig(int)} with HTTPS on the public listener, serving {@code cert};
   * {@code tlsExtra} is added to the {@code server.tls} mapping (e.g. {@code ", redirectPort: 0"}).
   */
  static String gatewayConfig(int backendPort, dev.citizen.gateway.tls.TestCertificates.Issued cert, String tlsExtra) {
    return TestGateway.simpleConfig(backendPort, "5s", "30s").replace("server: {host: 127.0.0.1, port: 0}",
        "server: {host: 127.0.0.1, port: 0, tls: {certFile: \"" + cert.certFile() + "\", keyFile: \""
            + cert.keyFile() + "\"" + tlsExtra + "}}");
  }

  /**
   * {@code openssl s_client -connect 127.0.0.1:port} with {@code args}, stdin empty, so it
   * handshakes and quits. The OpenSSL security level is lowered to 0 on the client side only, so
   * that the client offers what the test asks for and the refusal, if any, is the server's.
   */
  static OpenSsl sClient(int port, String... args) throws Exception {
    return sClientTyping(port, "", args);
  }

  /**
   * {@link #sClient} that types {@code input} (s_client's commands, such as {@code R} for a
   * renegotiation) and keeps stdin open a second longer, so the command's outcome is seen.
   */
  static OpenSsl sClientTyping(int port, String input, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(openssl(), "s_client", "-connect", "127.0.0.1:" + port,
        "-servername", "localhost"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!input.isEmpty()) {
      p.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
      p.getOutputStream().flush();
      Thread.sleep(1000);
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl s_client did not finish");
    return new OpenSsl(p.exitValue(), out);
  }

  static String openssl() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, "openssl");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    fail("openssl not found: install Debian's openssl package (.ci/run does)");
    return null;
  }
}
