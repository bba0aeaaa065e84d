package dev.citizen.gateway.upstream;

import io.vertx.core.net.HostAndPort;

/**
 * One instance of a service, parsed once from its URL.
 *
 * @param host host name or address to connect to
 * @param port TCP port
 * @param weight relative share of traffic
 * @param authority {@code host:port} as sent in the Host header to the endpoint
 * @param hostAndPort the same, as Vert.x takes it (made once, not per request)
 */
public record Endpoint(String host, int port, int weight, String authority, HostAndPort hostAndPort) {

  public static Endpoint of(String url, int weight) {
    java.net.URI u = java.net.URI.create(url);
    int port = u.getPort() < 0 ? 80 : u.getPort();
    String host = u.getHost();
    String hostForHeader = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    String connectHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return new Endpoint(connectHost, port, weight, port == 80 ? hostForHeader : hostForHeader + ":" + port,
        HostAndPort.create(connectHost, port));
  }
}
