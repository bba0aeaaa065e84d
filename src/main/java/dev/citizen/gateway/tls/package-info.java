/**
 * TLS material and policy shared by the public listener ({@code server}), the upstream clients
 * ({@code upstream}) and config validation: PEM files read and checked once ({@link
 * dev.citizen.gateway.tls.PemKeyPair}, {@link dev.citizen.gateway.tls.PemCertificates}), and the
 * protocols and cipher suites the gateway offers ({@link dev.citizen.gateway.tls.TlsPolicy}).
 *
 * <p>Files are read whole into memory and handed to Vert.x as values, never as paths: Vert.x caches
 * SSL contexts by their options, so a path whose file changed would keep serving the old content,
 * and comparing values is what tells a real change from a touch.
 */
package dev.citizen.gateway.tls;
