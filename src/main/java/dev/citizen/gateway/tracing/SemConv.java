package dev.citizen.gateway.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.vertx.core.http.HttpMethod;

/**
 * The span attribute names the gateway uses: OpenTelemetry's stable HTTP semantic conventions
 * (https://opentelemetry.io/docs/specs/semconv/http/http-spans/), written out here rather than
 * taken from the semconv artifact, for a dozen constants; and the gateway's own, under
 * {@code gateway.}.
 */
final class SemConv {
  static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL =
      AttributeKey.stringKey("http.request.method_original");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<Long> HTTP_REQUEST_RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  static final AttributeKey<String> USER_AGENT_ORIGINAL = AttributeKey.stringKey("user_agent.original");
  static final AttributeKey<String> NETWORK_PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");

  /** The request id, as in {@code X-Request-Id} and the access log. */
  static final AttributeKey<String> GATEWAY_REQUEST_ID = AttributeKey.stringKey("gateway.request_id");
  /** The code of a gateway-made error ({@code circuit_open}, {@code no_route} …). */
  static final AttributeKey<String> GATEWAY_PROBLEM = AttributeKey.stringKey("gateway.problem");

  private SemConv() {}

  /**
   * The method's name if semconv knows it, else null: any other is reported as {@code _OTHER}
   * (and its span named {@code HTTP}), so that a client inventing methods cannot make span names
   * unbounded. Vert.x hands out one constant per standard method, so identity is enough.
   */
  static String knownMethod(HttpMethod m) {
    if (m == HttpMethod.GET || m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.DELETE
        || m == HttpMethod.HEAD || m == HttpMethod.PATCH || m == HttpMethod.OPTIONS || m == HttpMethod.CONNECT
        || m == HttpMethod.TRACE) {
      return m.name();
    }
    return null;
  }
}
