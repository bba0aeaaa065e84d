/**
 * The public listener: the Vert.x HTTP server verticle, the per-request handler that routes and
 * runs the filter chain, the response writer, the config snapshot being served, and the
 * {@link dev.citizen.gateway.server.Http1RequestGuard} that checks the raw HTTP/1.x framing of
 * each connection (request smuggling, head size and head timeout) before Vert.x's decoder sees it.
 * {@link dev.citizen.gateway.server.Gateway} owns the lifecycle, including the graceful drain
 * (readiness 503, {@code Connection: close}, listener close, bounded wait for in-flight requests).
 */
package dev.citizen.gateway.server;
