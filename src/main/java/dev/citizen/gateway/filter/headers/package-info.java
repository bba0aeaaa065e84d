/**
 * Security response headers, on every response of the public listener.
 *
 * <pre>
 * security:
 *   headers:                                   # gateway-wide; every key optional
 *     contentTypeOptions: nosniff              # X-Content-Type-Options (default nosniff)
 *     frameOptions: DENY                       # X-Frame-Options: DENY or SAMEORIGIN (default DENY)
 *     contentSecurityPolicy: "frame-ancestors 'none'"   # only when the service sent no CSP (default)
 *     referrerPolicy: strict-origin-when-cross-origin   # (default)
 *     hsts: {maxAge: 730d, includeSubDomains: true, preload: false}   # TLS requests only (defaults)
 *     removeHeaders: [X-Backend-Host]          # more service headers to drop (default none)
 * routes:
 *   - id: embeddable-viewer
 *     headers: {frameOptions: SAMEORIGIN, contentSecurityPolicy: ""}   # per route
 * </pre>
 *
 * <p>Scopes: a route's key replaces the gateway's key, a key it leaves out keeps the gateway's
 * value, and an empty string removes the header on that scope: the gateway then neither sets it
 * nor touches the service's own. {@code hsts} is replaced as a whole ({@code hsts: {enabled:
 * false}} turns it off).
 *
 * <p>Who wins: the gateway, for X-Content-Type-Options, X-Frame-Options, Referrer-Policy and HSTS:
 * a service cannot weaken them by accident. The Content-Security-Policy is the exception: a
 * service's own policy is kept (it knows what its pages load, and two merged policies would be
 * stricter than either), and {@code X-Frame-Options} still guards framing in that case.
 *
 * <p>Disclosure: Server, X-Powered-By, X-AspNet-Version, X-AspNetMvc-Version, X-Runtime,
 * X-Version, X-Generator and Via are dropped from services' responses (Via too: on a response it
 * names the hops and proxy products behind the gateway, which a client has no use for), plus
 * {@code removeHeaders}. The gateway itself sends no Server header and names no product or
 * version in any response or problem body.
 *
 * <p>Where: {@link dev.citizen.gateway.filter.headers.SecurityHeaders#apply} runs once per
 * response in the request handler, for proxied and gateway-made answers alike (404 before any
 * route, 413, 429, 502...); the request guard's raw 400/408/414/431/505 carry the gateway-wide set
 * too. WebSocket 101 answers are the service's own, passed through.
 */
package dev.citizen.gateway.filter.headers;
