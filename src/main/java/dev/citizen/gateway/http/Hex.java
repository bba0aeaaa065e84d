package dev.citizen.gateway.http;

/** ASCII hex digits: percent-decoding (paths, log masking, the WAF's decoders) and IPv6 addresses. */
public final class Hex {
  private Hex() {}

  /**
   * The value of an ASCII hex digit, or -1. Not {@link Character#digit(char, int)}: that also
   * takes full-width and other Unicode digits, which an escape such as {@code %} + two of them must
   * not decode.
   */
  public static int value(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
