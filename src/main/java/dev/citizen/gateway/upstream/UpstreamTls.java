package dev.citizen.gateway.upstream;

import dev.citizen.gateway.config.ServiceTlsConfig;
import dev.citizen.gateway.tls.PemCertificates;
import dev.citizen.gateway.tls.PemFiles;
import dev.citizen.gateway.tls.PemKeyPair;
import dev.citizen.gateway.tls.TlsFileException;
import dev.citizen.gateway.tls.TlsPolicy;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS settings of one service's {@code https://} endpoints as Vert.x client options, which go
 * with each request ({@code RequestOptions.setSslOptions}), so one client per event loop serves
 * every service, each with its own trust and client certificate. Upstream calls stay HTTP/1.1
 * (no ALPN).
 *
 * <p>Files are read when the config is loaded or reloaded. A reload whose files have the same
 * content keeps the same options object: Vert.x keys its connection pools and SSL contexts by
 * these options, so pooled connections survive the reload, and a changed CA or client certificate
 * gets new connections.
 *
 * <p>Why {@code verifyHostname: false} wraps its trust store in an object of its own: Vert.x 5.0
 * caches SSL contexts by key/certificate and trust options only, not by the hostname verification
 * setting, so two services with the same trust (the JDK's, say) would otherwise share whichever
 * verification setting was used first, and one service's opt-out would turn verification off for
 * the others.
 */
public final class UpstreamTls {
  /** https endpoints of a service without a {@code tls} block: the JDK's trust store, hostname verified. */
  static final UpstreamTls DEFAULT = new UpstreamTls(null, null, null, null,
      new ClientSSLOptions().setHostnameVerificationAlgorithm("HTTPS")
          .setEnabledSecureTransportProtocols(TlsPolicy.PROTOCOLS));

  private final ServiceTlsConfig config;
  private final byte[] ca;
  private final byte[] cert;
  private final byte[] key;
  private final ClientSSLOptions options;
  private SslContext nettyContext;

  private UpstreamTls(ServiceTlsConfig config, byte[] ca, byte[] cert, byte[] key, ClientSSLOptions options) {
    this.config = config;
    this.ca = ca;
    this.cert = cert;
    this.key = key;
    this.options = options;
  }

  /**
   * Reads the files of {@code config} (null: {@link #DEFAULT}); returns {@code previous} when
   * nothing changed, so its options object, and with it Vert.x's pools, carry over.
   */
  static UpstreamTls build(ServiceTlsConfig config, UpstreamTls previous) throws TlsFileException {
    if (config == null) {
      return DEFAULT;
    }
    byte[] ca = null;
    X509Certificate[] caCerts = null;
    if (config.caFile() != null) {
      Path file = Path.of(config.caFile());
      ca = PemFiles.read(TlsFileException.Part.CA, file);
      caCerts = PemCertificates.parse(TlsFileException.Part.CA, file, ca).certificates()
          .toArray(new X509Certificate[0]);
    }
    PemKeyPair pair = null;
    byte[] cert = null;
    byte[] key = null;
    if (config.certFile() != null && config.keyFile() != null) {
      Path certFile = Path.of(config.certFile());
      Path keyFile = Path.of(config.keyFile());
      cert = PemFiles.read(TlsFileException.Part.CERT, certFile);
      key = PemFiles.read(TlsFileException.Part.KEY, keyFile);
      pair = PemKeyPair.parse(certFile, cert, keyFile, key);
    }
    if (previous != null && config.equals(previous.config) && Arrays.equals(ca, previous.ca)
        && Arrays.equals(cert, previous.cert) && Arrays.equals(key, previous.key)) {
      return previous;
    }
    ClientSSLOptions options = new ClientSSLOptions()
        .setEnabledSecureTransportProtocols(TlsPolicy.PROTOCOLS)
        .setHostnameVerificationAlgorithm(config.verifyHostname() ? "HTTPS" : "");
    if (config.verifyHostname()) {
      if (ca != null) {
        options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca)));
      }
    } else {
      options.setTrustOptions(TrustOptions.wrap(trustManagers(config.caFile(), caCerts)));
    }
    if (pair != null) {
      options.setKeyCertOptions(pair.keyCertOptions());
    }
    return new UpstreamTls(config, ca, cert, key, options);
  }

  /** A trust manager factory of its own (see the class comment): the CA's, or the JDK's default. */
  private static TrustManagerFactory trustManagers(String caFile, X509Certificate[] caCerts) throws TlsFileException {
    try {
      KeyStore store = null;
      if (caCerts != null) {
        store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < caCerts.length; i++) {
          store.setCertificateEntry("ca-" + i, caCerts[i]);
        }
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return tmf;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsFileException(TlsFileException.Part.CA, Path.of(Objects.requireNonNullElse(caFile, "(JDK)")),
          "cannot be used as a trust store: " + e.getMessage());
    }
  }

  /**
   * The same settings as a Netty client context, for the proxy's own upstream connections; built
   * once, on first use (a reload with new files makes a new {@code UpstreamTls}).
   */
  public synchronized SslContext nettyContext(Vertx vertx) throws Exception {
    if (nettyContext == null) {
      SslContextBuilder builder = SslContextBuilder.forClient()
          .sslProvider(SslProvider.JDK)
          .protocols(options.getEnabledSecureTransportProtocols())
          // Netty 4.2 verifies the host name by default; the service's setting decides.
          .endpointIdentificationAlgorithm(verifyHostname() ? "HTTPS" : null);
      if (options.getTrustOptions() != null) {
        builder.trustManager(options.getTrustOptions().getTrustManagerFactory(vertx));
      }
      if (options.getKeyCertOptions() != null) {
        builder.keyManager(options.getKeyCertOptions().getKeyManagerFactory(vertx));
      }
      nettyContext = builder.build();
    }
    return nettyContext;
  }

  /** Whether the service's certificate must name the host (or {@link #serverName()}). */
  public boolean verifyHostname() {
    return "HTTPS".equals(options.getHostnameVerificationAlgorithm());
  }

  /** The options to send with every request to an https endpoint of the service. */
  public ClientSSLOptions options() {
    return options;
  }

  /** The name for SNI and certificate checks instead of the URL's host; null for the URL's host. */
  public String serverName() {
    return config == null ? null : config.serverName();
  }
}
