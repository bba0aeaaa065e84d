package dev.citizen.gateway.config;

import java.util.List;
import java.util.Map;

/**
 * What requests a route takes. All given conditions must hold.
 *
 * @param path {@code /a/b} exact; {@code /a/{id}} one segment per variable; {@code /a/**} the
 *     prefix {@code /a} and everything below it
 * @param methods allowed methods (default: any)
 * @param host required Host, case-insensitive, port ignored; {@code *.example.org} matches one or
 *     more leading labels (default: any)
 * @param headers required header values, exact (default: none)
 */
public record MatchConfig(String path, List<String> methods, String host, Map<String, String> headers) {
  public MatchConfig {
    methods = methods == null ? List.of() : methods;
    headers = headers == null ? Map.of() : headers;
  }
}
