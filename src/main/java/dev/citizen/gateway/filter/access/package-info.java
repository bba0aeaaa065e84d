/**
 * Which clients get in: per-route IP allow and deny lists, bot refusal, and the counting of failed
 * authentications for auto-ban. All three run in {@link dev.citizen.gateway.filter.Phase#EDGE},
 * before authentication; a route gets only the filters its config asks for.
 *
 * <pre>
 * security:
 *   trustedProxies: [10.0.0.0/8, "2001:db8:1::/48"]   # whose X-Forwarded-For is believed
 *   autoBan: {maxFailures: 3, window: 5m, banFor: 15m} # on by default
 * routes:
 *   - id: login
 *     match: {path: /api/login}
 *     service: accounts
 *     login: true                 # its 401 answers count towards auto-ban
 *   - id: records
 *     match: {path: /api/records/**}
 *     service: records
 *     clients:
 *       allow: [10.20.0.0/16, "2001:db8:20::/48"]   # only these (default: everyone)
 *       deny: [10.20.99.0/24]                     # deny wins (default none)
 *       blockBots: true                           # no/empty User-Agent, known scanners (default false)
 *       botUserAgents: [badbot]                   # more fragments to refuse (default none)
 * </pre>
 *
 * <ul>
 *   <li>{@link dev.citizen.gateway.filter.access.AutoBanFilter}: first on routes with {@code auth}
 *       or {@code login}; watches the response, counts 401s into
 *       {@link dev.citizen.gateway.client.Bans}. The ban itself is checked in
 *       {@code server.RequestHandler} before routing, so it covers every route and requests that
 *       match none: 403 {@code client_banned}.
 *   <li>{@link dev.citizen.gateway.filter.access.ClientAccessFilter}: {@code clients.allow} and
 *       {@code clients.deny}; 403 {@code client_forbidden}.
 *   <li>{@link dev.citizen.gateway.filter.access.BotFilter}: {@code clients.blockBots}; 403
 *       {@code bot_refused}.
 * </ul>
 *
 * <p>The client address they judge is {@link dev.citizen.gateway.filter.Exchange#clientAddress},
 * settled by {@link dev.citizen.gateway.client.ClientAddresses}.
 */
package dev.citizen.gateway.filter.access;
