package dev.citizen.gateway.client;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * Who the client of a request is: the socket's peer, unless the peer is one of the configured
 * trusted proxies ({@code security.trustedProxies}) and sent {@code X-Forwarded-For}; then the
 * address {@link ForwardedFor#client} settles on. A client's own {@code X-Forwarded-For} is never
 * believed: a peer that is not a trusted proxy is the client, whatever it claims.
 *
 * <p>Compiled once per config; immutable. With no trusted proxies it returns the peer at once, so
 * a gateway that needs none pays nothing for the feature.
 */
public final class ClientAddresses {
  public static final ClientAddresses NONE = new ClientAddresses(CidrSet.EMPTY);

  private final CidrSet trusted;

  private ClientAddresses(CidrSet trusted) {
    this.trusted = trusted;
  }

  /** From {@code security.trustedProxies} (validated: every entry a CIDR or an address). */
  public static ClientAddresses of(List<String> trustedProxies) {
    return trustedProxies.isEmpty() ? NONE : new ClientAddresses(CidrSet.parse(trustedProxies));
  }

  /**
   * The client's address for a request from {@code peer} with {@code headers}: {@code peer} itself
   * (the same String) unless a trusted proxy forwarded the request.
   */
  public String resolve(String peer, MultiMap headers) {
    if (trusted.isEmpty() || peer == null || !isTrusted(peer)) {
      return peer;
    }
    return forwardedClient(peer, headers);
  }

  /**
   * {@link #resolve} for a peer the caller found trusted already ({@link #isTrusted}): the client
   * its {@code X-Forwarded-For} names, or the peer when it sent none. Saves parsing the peer twice.
   */
  public String forwardedClient(String trustedPeer, MultiMap headers) {
    List<String> lines = headers.getAll(ForwardedFor.HEADER);
    return lines.isEmpty() ? trustedPeer : ForwardedFor.client(trustedPeer, lines, trusted);
  }

  /** Whether {@code address} (text, as from a socket or {@link #resolve}) is a trusted proxy. */
  public boolean isTrusted(String address) {
    if (trusted.isEmpty() || address == null) {
      return false;
    }
    // A link-local IPv6 peer comes with its interface ("fe80::1%eth0"); networks have none.
    int zone = address.indexOf('%');
    return trusted.contains(zone < 0 ? IpAddress.parse(address) : IpAddress.parse(address, 0, zone));
  }

  /** The trusted proxies. */
  public CidrSet trusted() {
    return trusted;
  }
}
