package dev.citizen.gateway.config;

/**
 * TLS towards a service's {@code https://} endpoints. Without it, https endpoints are checked
 * against the JDK's trust store with hostname verification.
 *
 * @param caFile PEM certificates the service's certificate must chain to, instead of the JDK's
 *     trust store (a private CA)
 * @param certFile PEM client certificate (and chain) for mutual TLS; set together with keyFile
 * @param keyFile PEM private key of certFile
 * @param serverName the name sent in SNI and checked against the service's certificate, instead
 *     of the endpoint URL's host (e.g. endpoints given by IP address); the Host header is not
 *     affected
 * @param verifyHostname check that the certificate names the host (or serverName); turning it off
 *     still checks the chain (default true)
 */
public record ServiceTlsConfig(String caFile, String certFile, String keyFile, String serverName,
    Boolean verifyHostname) {
  public ServiceTlsConfig {
    verifyHostname = verifyHostname == null ? Boolean.TRUE : verifyHostname;
  }
}
