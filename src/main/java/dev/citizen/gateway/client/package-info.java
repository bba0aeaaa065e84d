/**
 * Who the client is, and whether it is banned: addresses and networks parsed without name
 * lookups ({@link dev.citizen.gateway.client.IpAddress}, {@link dev.citizen.gateway.client.Cidr},
 * {@link dev.citizen.gateway.client.CidrSet}), the client address behind trusted proxies
 * ({@link dev.citizen.gateway.client.ClientAddresses}, {@link dev.citizen.gateway.client.ForwardedFor}),
 * and the ban list ({@link dev.citizen.gateway.client.Bans}).
 *
 * <p><b>Client address.</b> The socket's peer, unless the peer is in {@code security.trustedProxies};
 * then {@code X-Forwarded-For} is walked from the right, skipping trusted proxies, and the first
 * address that is not one is the client (all trusted: the left-most). A malformed entry stops the
 * walk at the last trusted hop. Settled once per request in {@code server.RequestHandler}, which
 * puts it on the exchange and the request record (access log {@code client}, tracing
 * {@code client.address}). Upstream, {@code X-Forwarded-For} is the verified part of the chain
 * only, from that client to the peer: a client's own entries are never passed on as if the gateway
 * believed them.
 *
 * <p><b>Text form.</b> Addresses are compared and keyed by the text the JDK writes for a peer
 * ({@code 192.0.2.1}, {@code 2001:db8:0:0:0:0:0:1}); an IPv4-mapped IPv6 address is the IPv4
 * address. Networks of one family do not hold addresses of the other: {@code ::/0} is every IPv6
 * client.
 *
 * <p><b>Bans</b> ({@code security.autoBan}, on by default): {@code maxFailures} (3) failed
 * authentications within {@code window} (5m) ban an address for {@code banFor} (15m), on every
 * route. {@link dev.citizen.gateway.client.InMemoryBans} keeps them in {@code server.EdgeState}, so
 * they survive reloads; at most {@code maxAddresses} (10000) counters and bans each. A ban and its
 * end are logged (events {@code client_banned}, {@code client_unbanned}). The admin API lists and
 * lifts them ({@code GET /admin/bans}, {@code DELETE /admin/bans/{address}}, {@code DELETE /admin/bans}).
 */
package dev.citizen.gateway.client;
