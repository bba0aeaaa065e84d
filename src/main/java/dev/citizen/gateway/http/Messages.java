package dev.citizen.gateway.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/** Facts about HTTP messages that several parts of the request path need. */
public final class Messages {
  private Messages() {}

  /**
   * Whether the client sends a body: by its framing headers for HTTP/1.x (RFC 9112 §6.3), by the
   * stream state for HTTP/2.
   */
  public static boolean hasRequestBody(HttpServerRequest req) {
    if (req.version() == HttpVersion.HTTP_2) {
      return !req.isEnded();
    }
    if (req.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      return true;
    }
    String cl = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    return cl != null && !cl.trim().equals("0");
  }
}
