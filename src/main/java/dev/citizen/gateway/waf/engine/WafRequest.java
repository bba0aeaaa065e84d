package dev.citizen.gateway.waf.engine;

import java.util.List;
import java.util.Map;

/**
 * A request as the WAF sees it. Strings are byte strings (one char per byte, ISO-8859-1), exactly
 * as received: the raw request target with its percent-encoding, header names in their case.
 *
 * @param method e.g. {@code GET}
 * @param uri the raw request target, e.g. {@code /a%20b?x=1} (REQUEST_URI_RAW, REQUEST_URI, ...)
 * @param protocol e.g. {@code HTTP/1.1}
 * @param headers every header line in order (repeated names repeat)
 * @param body the request body as received (possibly cut at the inspection limit), or null
 * @param bodyTruncated whether {@code body} stops at the inspection limit
 * @param remoteAddress the client address (REMOTE_ADDR)
 * @param remotePort the client port
 * @param serverPort the gateway port
 */
public record WafRequest(String method, String uri, String protocol, List<Map.Entry<String, String>> headers,
    byte[] body, boolean bodyTruncated, String remoteAddress, int remotePort, int serverPort) {}
