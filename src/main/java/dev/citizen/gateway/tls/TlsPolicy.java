package dev.citizen.gateway.tls;

import java.util.List;
import java.util.Set;

/**
 * What the public listener offers: TLS 1.2 and 1.3 only, and only forward-secret AEAD cipher
 * suites (ECDHE key exchange with AES-GCM or ChaCha20-Poly1305; TLS 1.3's three suites are all of
 * that kind). No RSA key exchange (no forward secrecy, ROBOT), no CBC (Lucky13, padding oracles),
 * no DHE (Logjam, slow), no 3DES/RC4/NULL/export. Both ECDSA and RSA certificates are served.
 * The order is Mozilla's "intermediate" profile without its DHE suites.
 */
public final class TlsPolicy {
  /** TLS 1.0 and 1.1 are deprecated (RFC 8996); SSL is long gone. */
  public static final Set<String> PROTOCOLS = orderedSet("TLSv1.2", "TLSv1.3");

  public static final List<String> SERVER_CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private TlsPolicy() {}

  private static Set<String> orderedSet(String... values) {
    return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(List.of(values)));
  }
}
