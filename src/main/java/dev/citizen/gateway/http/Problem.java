package dev.citizen.gateway.http;

import java.nio.charset.StandardCharsets;

/**
 * A gateway-made error answer (RFC 9457 problem details): status, a stable machine code and the
 * request id, never a stack trace or an upstream address.
 *
 * <p>Every local reply of the gateway goes through this one type, so clients see one shape for a
 * 404 from routing, a 400 from the request guard and a 502 from the proxy.
 */
public record Problem(int status, String code, String detail) {

  public static final String CONTENT_TYPE = "application/problem+json";

  /** Standard reason phrase for the status codes the gateway itself produces. */
  public static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 417 -> "Expectation Failed";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 505 -> "HTTP Version Not Supported";
      case 508 -> "Loop Detected";
      default -> "Error";
    };
  }

  /** The JSON body; {@code requestId} may be null when none was assigned yet. */
  public String toJson(String requestId) {
    StringBuilder sb = new StringBuilder(160);
    sb.append("{\"type\":\"about:blank\",\"title\":");
    quote(sb, title(status));
    sb.append(",\"status\":").append(status).append(",\"code\":");
    quote(sb, code);
    if (detail != null) {
      sb.append(",\"detail\":");
      quote(sb, detail);
    }
    if (requestId != null) {
      sb.append(",\"requestId\":");
      quote(sb, requestId);
    }
    return sb.append('}').toString();
  }

  public byte[] toJsonBytes(String requestId) {
    return toJson(requestId).getBytes(StandardCharsets.UTF_8);
  }

  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
