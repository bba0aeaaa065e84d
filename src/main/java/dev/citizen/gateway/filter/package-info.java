/**
 * The request-path SPI: {@link dev.citizen.gateway.filter.Filter}, {@link
 * dev.citizen.gateway.filter.Next}, {@link dev.citizen.gateway.filter.Exchange} and {@link
 * dev.citizen.gateway.filter.Response}.
 *
 * <p>A filter is {@code Future<Response> handle(Exchange, Next)}. It may answer without calling
 * next (a WAF block, a cache hit, a 429), call next and change the response (headers, metrics), or
 * call next again (a retry, only with a replayable body). Features live in sub-packages, one per
 * feature ({@code filter.ratelimit}, {@code filter.auth}, ...); this package holds only the SPI.
 *
 * <p>Order: the fixed {@link dev.citizen.gateway.filter.Phase phases} EDGE, SECURITY, ROUTE,
 * UPSTREAM, then config order within a phase. The terminal step is the proxy call.
 */
package dev.citizen.gateway.filter;
