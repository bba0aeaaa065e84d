/**
 * The public listener: the Vert.x HTTP server verticle, the per-request handler that routes and
 * runs the filter chain, the response writer, the config snapshot being served, and the
 * {@link dev.citizen.gateway.server.Http1RequestGuard} that checks the raw HTTP/1.x framing of
 * each connection (request smuggling, head size and head timeout) before Vert.x's decoder sees it.
 * {@link dev.citizen.gateway.server.Gateway} owns the lifecycle, including the graceful drain
 * (readiness 503, {@code Connection: close} or HTTP/2 GOAWAY, listener close, bounded wait for
 * in-flight requests).
 *
 * <p>TLS ({@code server.tls}): {@code ServerTls} makes the listener HTTPS only (TLS 1.2/1.3,
 * ECDHE AEAD suites, ALPN h2 and http/1.1), {@code CertificateWatcher} applies replaced certificate
 * files without a restart, and {@code RedirectServer} is the optional plain-HTTP listener that
 * only redirects to HTTPS. Example:
 *
 * <pre>
 * server:
 *   port: 443
 *   tls: {certFile: /etc/gateway/tls/cert.pem, keyFile: /etc/gateway/tls/key.pem, redirectPort: 80}
 * </pre>
 */
package dev.citizen.gateway.server;
