package dev.citizen.gateway.config;

/**
 * TLS on the public listener: with it, the listener serves HTTPS only (TLS 1.2 and 1.3,
 * forward-secret AEAD cipher suites, ALPN {@code h2} and {@code http/1.1}). The two files are
 * watched, and a changed, valid pair is applied to new connections without a restart.
 *
 * @param certFile PEM certificate, optionally followed by its intermediate certificates (the
 *     chain sent to clients); required
 * @param keyFile PEM private key of the certificate (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted);
 *     required
 * @param redirectPort a plain-HTTP listener on {@code server.host} that answers every request with
 *     a redirect to {@code https://} on the TLS port and proxies nothing; 0 picks an ephemeral
 *     port (default: none)
 */
public record ServerTlsConfig(String certFile, String keyFile, Integer redirectPort) {}
