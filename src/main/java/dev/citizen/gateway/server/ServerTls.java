package dev.citizen.gateway.server;

import dev.citizen.gateway.config.ServerConfig;
import dev.citizen.gateway.tls.PemKeyPair;
import dev.citizen.gateway.tls.TlsPolicy;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.ServerSSLOptions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HTTPS on the public listener: the JDK's TLS engine with {@link TlsPolicy}'s protocols and cipher
 * suites, ALPN offering h2 then http/1.1, and HTTP/2 settings that keep the listener's limits.
 */
final class ServerTls {
  /**
   * HTTP/2 header lists above this many times {@code maxHeaderBytes} are refused by Netty's decoder
   * (a bare 431) before the gateway sees them; below it, the request handler measures the head as
   * HTTP/1.1 would count it and answers 431 with a problem. HPACK sizes count 32 bytes per field on
   * top of name and value, hence the slack.
   */
  static final int H2_HEADER_LIST_FACTOR = 2;

  private ServerTls() {}

  /**
   * Java's TLS 1.2 server accepts a (secure, RFC 5746) renegotiation that the client starts, by
   * default; each costs the server a full handshake, a cheap way for one client to burn CPU
   * (CVE-2011-1473; testssl.sh reports it), and nothing here needs one. The JDK reads this once,
   * when its first server handshake runs, so it is set when the {@link Gateway} class loads, before
   * any listener exists; an explicit setting on the command line wins.
   */
  static void refuseClientRenegotiation() {
    if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
      System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
    }
  }

  /** Turns {@code options} into an HTTPS listener serving {@code keyPair}. */
  static HttpServerOptions configure(HttpServerOptions options, PemKeyPair keyPair, ServerConfig server) {
    options.setSsl(true)
        .setUseAlpn(true)
        .setKeyCertOptions(keyPair.keyCertOptions())
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(TlsPolicy.PROTOCOLS))
        // A handshake must finish within the head timeout, as a request head must (slow-loris);
        // the request guard's own timer starts only after the handshake.
        .setSslHandshakeTimeout(Math.max(1, server.timeouts().header().toMillis()))
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    for (String suite : TlsPolicy.SERVER_CIPHER_SUITES) {
      options.addEnabledCipherSuite(suite);
    }
    options.setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    options.getInitialSettings().setMaxHeaderListSize(
        (long) H2_HEADER_LIST_FACTOR * server.limits().maxHeaderBytes().toIntBytes());
    return options;
  }

  /** The SSL options of a running listener with a new certificate: everything else as it was. */
  static ServerSSLOptions withKeyPair(HttpServerOptions options, PemKeyPair keyPair) {
    return options.getSslOptions().copy().setKeyCertOptions(keyPair.keyCertOptions());
  }
}
