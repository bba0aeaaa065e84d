package dev.citizen.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpVersion;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The {@code Via} entry this gateway adds to every request it forwards (RFC 9110 §7.6.3), and the
 * loop check it makes possible. A service endpoint that points back at the gateway (its own port,
 * a load balancer in front of it, another gateway that routes back) would otherwise send each
 * request round again and again, each round holding a connection, until sockets or memory run
 * out; with the entry, the request that comes back is answered 508 on its second pass.
 *
 * <p>The entry names the gateway by a pseudonym, random per gateway instance ({@code
 * citizen-} and 12 hex digits), never a product, version or address. Gateways chained on
 * purpose each add their own, so only a request that passed this very instance counts as a loop.
 */
public final class Via {
  public static final String HEADER = "Via";

  private final String pseudonym;
  private final String http10;
  private final String http11;
  private final String http2;

  Via(String pseudonym) {
    this.pseudonym = pseudonym;
    this.http10 = "1.0 " + pseudonym;
    this.http11 = "1.1 " + pseudonym;
    this.http2 = "2 " + pseudonym;
  }

  /** A Via for a new gateway instance, with a pseudonym of its own. */
  public static Via random() {
    byte[] id = new byte[6];
    new SecureRandom().nextBytes(id);
    return new Via("citizen-" + HexFormat.of().formatHex(id));
  }

  public String pseudonym() {
    return pseudonym;
  }

  /** This gateway's entry for a request received over {@code version} (the protocol it came in on). */
  String entry(HttpVersion version) {
    return switch (version) {
      case HTTP_1_0 -> http10;
      case HTTP_2 -> http2;
      default -> http11;
    };
  }

  /** Whether one of the request's Via lines names this gateway: the request passed it already. */
  public boolean loopedBack(MultiMap headers) {
    if (!headers.contains(HEADER)) {
      return false;
    }
    for (String line : headers.getAll(HEADER)) {
      if (names(line)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether one entry of a Via line ({@code protocol received-by [comment]}, comma separated) is
   * received by this gateway's pseudonym. A comment that happens to hold it does not count.
   */
  boolean names(String line) {
    if (!line.contains(pseudonym)) {
      return false; // nearly every line: no splitting
    }
    for (String entry : line.split(",")) {
      String[] parts = entry.trim().split("[ \t]+", 3);
      if (parts.length >= 2 && parts[1].equals(pseudonym) && !parts[0].startsWith("(")) {
        return true;
      }
    }
    return false;
  }
}
