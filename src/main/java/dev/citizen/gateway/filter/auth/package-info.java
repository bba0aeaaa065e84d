/**
 * Authentication per route: JWT bearer tokens and API keys ({@code routes[].auth}), in the
 * SECURITY phase. A route without {@code auth} has no auth filter and pays nothing.
 *
 * <pre>
 * auth:
 *   realm: citizen-gateway            # WWW-Authenticate realm (default citizen-gateway)
 *   jwt:
 *     issuer: https://idp.example.org/realms/citizen      # exact iss (required)
 *     audiences: [patients-api]                           # aud must name one (required)
 *     jwksUrl: https://idp.example.org/realms/citizen/protocol/openid-connect/certs
 *     jwksRefresh: 5m                 # keys older than this are fetched again (default 5m, min 10s)
 *     keyFiles: [/etc/gateway/idp.pem]                    # PEM public keys/certificates (default none)
 *     keys: [{kty: OKP, crv: Ed25519, kid: k1, x: ...}]   # inline JWKs (default none)
 *     algorithms: [RS256, ES256, EdDSA]                   # (default these three)
 *     clockSkew: 30s                  # for exp and nbf (default 30s, at most 5m)
 *     scopes: [patient/Observation.read]                  # all required; SMART aware (default none)
 *     claimHeaders: {sub: X-User-Id, tenant: X-Tenant}    # (default none)
 *     stripAuthorization: true        # (default true)
 *   apiKeys:
 *     header: X-API-Key               # (default X-API-Key)
 *     keys: [{id: lab-import, sha256: 9f86d0...}]         # from ./gateway hash-key
 * </pre>
 *
 * <p>The request path ({@link dev.citizen.gateway.filter.auth.AuthFilter}):
 * <ol>
 *   <li>the claim headers the client sent are removed, and so is the API key header;
 *   <li>an API key that matches ({@link dev.citizen.gateway.filter.auth.ApiKeys}: SHA-256, constant
 *       time over every entry) authenticates at once;
 *   <li>else a bearer token is checked ({@code TokenChecker}): JWS only, an allowed algorithm, a
 *       key whose type fits it ({@code VerificationKey}: no HMAC, no {@code none}, no key-type
 *       confusion), then iss, aud, exp and nbf. Keys come from the config and from the JWKS URL,
 *       whose {@link dev.citizen.gateway.filter.auth.JwksCache} is shared by URL across routes and
 *       reloads, fetched with Vert.x's HTTP client and fetched again for an unknown key id at most
 *       every 10 s;
 *   <li>the required scopes are matched ({@link dev.citizen.gateway.filter.auth.SmartScopes});
 *   <li>the principal goes on the exchange, claim headers are set, {@code Authorization} is removed
 *       (with {@code stripAuthorization}), and the chain goes on.
 * </ol>
 * With both jwt and apiKeys on a route, either credential suffices; an API key is not subject to
 * {@code jwt.scopes} (keys carry no scopes), so a route that needs scopes should only take API
 * keys from clients that may do everything the route offers.
 *
 * <p>Answers: 401 {@code unauthorized} (no credential), {@code invalid_token} or
 * {@code invalid_api_key}, with RFC 6750 challenges; 403 {@code insufficient_scope}; 503
 * {@code auth_unavailable} while the JWK Set could never be fetched. The client gets a short reason
 * (token expired, token not yet valid, malformed token, token not accepted); the log line
 * (logger {@code AuthFilter}, with traceId, requestId, route and client) has the exact one.
 */
package dev.citizen.gateway.filter.auth;
