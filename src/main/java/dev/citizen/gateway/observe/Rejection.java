package dev.citizen.gateway.observe;

/**
 * A request the connection's guard refused before it became a request: malformed or ambiguous
 * framing (400), a request-target or head over its limit (414, 431), a head that did not arrive in
 * time (408). Nothing of it was parsed or trusted, so all that is known is what the guard
 * answered and who sent it; the line it gets in the access log carries these, so that every
 * answer the gateway gives has a log line with a trace id and the request id the client saw.
 *
 * @param epochMillis when the answer was written
 * @param traceId a new trace id (the request's own traceparent, if any, was never read)
 * @param requestId the {@code X-Request-Id} sent with the answer
 * @param status the status answered
 * @param problemCode the problem+json code answered
 * @param client the peer's address (the head was not read, so no forwarded address is believed)
 */
public record Rejection(long epochMillis, String traceId, String requestId, int status, String problemCode,
    String client) {
}
