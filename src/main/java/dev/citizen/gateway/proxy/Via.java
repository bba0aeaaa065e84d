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
    int from = 0;
    while ((from = line.indexOf(pseudonym, from)) >= 0) {
      int end = from + pseudonym.length();
      boolean afterProtocol = from > 0 && line.charAt(from - 1) == ' ' && protocolBefore(line, from - 1);
      boolean ends = end == line.length() || line.charAt(end) == ' ' || line.charAt(end) == ','
          || line.charAt(end) == '\t';
      if (afterProtocol && ends) {
        return true;
      }
      from = end;
    }
    return false;
  }

  /** Whether the text before the space at {@code space} is an entry's protocol: a token after the start or a comma. */
  private static boolean protocolBefore(String line, int space) {
    int i = space;
    while (i > 0 && line.charAt(i - 1) != ' ' && line.charAt(i - 1) != ',' && line.charAt(i - 1) != '(') {
      i--;
    }
    if (i == space || (i > 0 && line.charAt(i - 1) == '(')) {
      return false;
    }
    // Back over the blanks before the protocol: the entry starts the line or follows a comma.
    int j = i;
    while (j > 0 && (line.charAt(j - 1) == ' ' || line.charAt(j - 1) == '\t')) {
      j--;
    }
    return j == 0 || line.charAt(j - 1) == ',';
  }
}
