package dev.citizen.gateway.waf.transform;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code md5}, {@code sha1} (the raw binary digest, as ModSecurity returns it; chain {@code
 * hexEncode} for text) and {@code length} (the byte count in decimal).
 */
final class Digests {
  private Digests() {}

  static String md5(String in) {
    return digest("MD5", in);
  }

  static String sha1(String in) {
    return digest("SHA-1", in);
  }

  static String length(String in) {
    return Integer.toString(in.length());
  }

  private static String digest(String algorithm, String in) {
    try {
      // MessageDigest instances are not thread-safe: one per call is cheap enough for rare use.
      return Bytes.fromBytes(MessageDigest.getInstance(algorithm).digest(Bytes.toBytes(in)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from the JDK", e);
    }
  }
}
