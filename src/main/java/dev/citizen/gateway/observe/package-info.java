/**
 * Observing the request path: the per-request {@link dev.citizen.gateway.observe.RequestRecord}
 * (ids, route, attempts, outcome), W3C trace context, and the
 * {@link dev.citizen.gateway.observe.RequestObserver} hooks through which metrics, the access log
 * and tracing watch requests without changing them.
 */
package dev.citizen.gateway.observe;
