package dev.citizen.gateway.demo;

import dev.citizen.gateway.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Base of the demo services: one verticle owning one HTTP/1.1 server on 127.0.0.1 and a tiny
 * method-and-path dispatcher (vertx-web is deliberately not a dependency of the gateway).
 *
 * <p>Being a verticle is what makes the plain collections of the subclasses safe: the server is
 * created in {@link #start()}, so every request handler runs on this verticle's single event-loop
 * context, and the data is touched from nowhere else.
 *
 * <p>Every service also gets {@code GET /health} and {@code GET /openapi.json}, 404/405 answers,
 * a 64 KiB body cap and the {@code X-Request-Id} echo from here, so the three services only
 * describe their own endpoints.
 */
abstract class DemoService extends VerticleBase {

  /** Largest request body a demo service reads; anything longer is answered with 413. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  static final String REQUEST_ID = "X-Request-Id";
  private static final String JSON = "application/json";

  private final String name;
  private final int port;
  private final List<Route> routes = new ArrayList<>();
  // Written on the verticle's context, read by DemoServices after the deployment future completed.
  private volatile HttpServer server;

  /** {@code port} 0 asks the OS for a free port; {@link #server()} tells which one it gave. */
  protected DemoService(String name, int port) {
    this.name = name;
    this.port = port;
  }

  final String name() {
    return name;
  }

  /** The listening server; null until the deployment has completed. */
  final HttpServer server() {
    return server;
  }

  /** Registers this service's own endpoints through {@link #route}. */
  protected abstract void routes();

  /** The complete OpenAPI document, normally made with {@link #openApiDocument}. */
  protected abstract JsonObject openApi();

  @Override
  public Future<?> start() {
    routes();
    String openApiJson = openApi().encodePrettily();
    route(HttpMethod.GET, "/health", call -> call.json(200, new JsonObject().put("status", "UP")));
    route(HttpMethod.GET, "/openapi.json", call -> call.send(200, openApiJson));
    // Plain HTTP/1.1 only: no h2c upgrade, so what the gateway sees is what curl sees.
    HttpServerOptions options = new HttpServerOptions()
        .setHost("127.0.0.1")
        .setPort(port)
        .setHttp2ClearTextEnabled(false);
    return vertx.createHttpServer(options)
        .requestHandler(this::dispatch)
        .listen()
        .onSuccess(s -> server = s);
  }

  /** Adds an endpoint; {@code pattern} segments like {@code {id}} match one non-empty segment. */
  protected final void route(HttpMethod method, String pattern, Handler<Call> handler) {
    routes.add(new Route(method, List.of(pattern.split("/", -1)), handler));
  }

  private void dispatch(HttpServerRequest req) {
    HttpServerResponse resp = req.response();
    String requestId = req.getHeader(REQUEST_ID);
    // Echo only ids well formed by the gateway's own rule: reflecting arbitrary header text back
    // is how response-splitting and log-forging bugs start.
    if (RequestIds.isWellFormed(requestId)) {
      resp.putHeader(REQUEST_ID, requestId);
    }
    String path = req.path() == null ? "" : req.path();
    List<String> segments = List.of(path.split("/", -1));
    // HEAD is GET without a body; Vert.x leaves the body out of HEAD answers itself.
    HttpMethod method = req.method() == HttpMethod.HEAD ? HttpMethod.GET : req.method();
    Set<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Map<String, String> params = route.match(segments);
      if (params == null) {
        continue;
      }
      if (route.method().equals(method)) {
        if (hasValidQuery(req)) {
          readBody(req, body -> invoke(route, new Call(req, params, body)));
        }
        return;
      }
      allowed.add(route.method().name());
      if (route.method() == HttpMethod.GET) {
        allowed.add(HttpMethod.HEAD.name());
      }
    }
    if (allowed.isEmpty()) {
      // The path as this service saw it: handy when checking what the gateway forwarded.
      sendError(resp, 404, "not_found", "No endpoint at " + path);
    } else {
      resp.putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
      sendError(resp, 405, "method_not_allowed", req.method().name() + " is not allowed here");
    }
  }

  /**
   * Answers 400 for a query string that is not valid percent-encoding; silently dropping it would
   * turn {@code ?name=%zz} into "no filter" and list everything.
   */
  private static boolean hasValidQuery(HttpServerRequest req) {
    try {
      req.params();
      return true;
    } catch (IllegalArgumentException e) {
      sendError(req.response(), 400, "bad_request", "Query string is not valid percent-encoding");
      return false;
    }
  }

  /**
   * Collects the body up to {@link #MAX_BODY_BYTES}, then calls {@code then}.
   *
   * <p>Too long a body gets 413 at once, from Content-Length when declared, else as soon as the
   * chunks pass the cap. Vert.x still consumes what the client keeps sending, which keeps the
   * connection in step; {@code Connection: close} tells the client not to reuse it anyway.
   */
  private static void readBody(HttpServerRequest req, Handler<Buffer> then) {
    HttpServerResponse resp = req.response();
    Buffer body = Buffer.buffer();
    req.handler(chunk -> {
      if (resp.ended()) {
        return; // already refused: drop the rest
      }
      if (body.length() + chunk.length() > MAX_BODY_BYTES) {
        tooLarge(resp);
      } else {
        body.appendBuffer(chunk);
      }
    });
    req.endHandler(v -> {
      if (!resp.ended()) {
        then.handle(body);
      }
    });
    // The client went away mid-body: there is no one left to answer.
    req.exceptionHandler(err -> { });
    if (declaredLength(req) > MAX_BODY_BYTES) {
      tooLarge(resp);
    } else if (req.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
      // Curl sends Expect for larger bodies and would otherwise wait a second before sending.
      resp.writeContinue();
    }
  }

  private static long declaredLength(HttpServerRequest req) {
    String value = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1; // Netty has already refused malformed lengths; this is only belt and braces
    }
  }

  private static void tooLarge(HttpServerResponse resp) {
    resp.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    sendError(resp, 413, "payload_too_large", "Request body exceeds " + MAX_BODY_BYTES + " bytes");
  }

  private static void invoke(Route route, Call call) {
    try {
      route.handler().handle(call);
    } catch (RuntimeException e) {
      if (!call.request.response().ended()) {
        sendError(call.request.response(), 500, "internal_error", "Unexpected error");
      }
      throw e; // Vert.x reports it: a demo must not hide its own bugs
    }
  }

  static void sendError(HttpServerResponse resp, int status, String code, String message) {
    resp.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(new JsonObject().put("error", code).put("message", message).encode());
  }

  private record Route(HttpMethod method, List<String> pattern, Handler<Call> handler) {
    /** The path parameters when {@code segments} fits this route, else null. */
    Map<String, String> match(List<String> segments) {
      if (segments.size() != pattern.size()) {
        return null;
      }
      Map<String, String> params = new HashMap<>(2);
      for (int i = 0; i < pattern.size(); i++) {
        String p = pattern.get(i);
        String s = segments.get(i);
        if (p.startsWith("{") && p.endsWith("}") && !s.isEmpty()) {
          params.put(p.substring(1, p.length() - 1), s);
        } else if (!p.equals(s)) {
          return null;
        }
      }
      return params;
    }
  }

  /** One matched request with its fully read body, and the ways a handler answers it. */
  static final class Call {
    private final HttpServerRequest request;
    private final Map<String, String> pathParams;
    private final Buffer body;

    Call(HttpServerRequest request, Map<String, String> pathParams, Buffer body) {
      this.request = request;
      this.pathParams = pathParams;
      this.body = body;
    }

    String pathParam(String name) {
      return pathParams.get(name);
    }

    /** The first query parameter of that name, or null (decoding was checked before routing). */
    String query(String name) {
      return request.getParam(name);
    }

    /** The body as a JSON object, or null after having answered 400 for it. */
    JsonObject jsonBody() {
      try {
        return new JsonObject(body);
      } catch (DecodeException e) {
        // Jackson's message quotes the input; say what is expected instead.
        badRequest("Request body must be a JSON object");
        return null;
      }
    }

    void json(int status, JsonObject json) {
      send(status, json.encode());
    }

    void json(int status, JsonArray json) {
      send(status, json.encode());
    }

    void send(int status, String json) {
      request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(json);
    }

    /**
     * 201 with a Location relative to the collection it was posted to, e.g. {@code
     * patients/p-1004} for {@code POST /patients}: that resolves right both for a direct call and
     * through the gateway's {@code /api} prefix, where an absolute {@code /patients/p-1004} would
     * point outside the prefix.
     */
    void created(String location, JsonObject json) {
      request.response().putHeader(HttpHeaders.LOCATION, location);
      json(201, json);
    }

    void noContent() {
      request.response().setStatusCode(204).end();
    }

    void badRequest(String message) {
      error(400, "bad_request", message);
    }

    /** 404 for {@code what}, e.g. "Patient p-1009", which is not there. */
    void notFound(String what) {
      error(404, "not_found", what + " not found");
    }

    void error(int status, String code, String message) {
      sendError(request.response(), status, code, message);
    }
  }

  // ---- OpenAPI 3.1 building blocks, so each service states only what is its own ----

  /**
   * A full OpenAPI 3.1.0 document: the service's own {@code paths} and {@code schemas}, plus the
   * {@code /health} and {@code /openapi.json} endpoints and the {@code Error} schema every demo
   * service shares.
   */
  static JsonObject openApiDocument(String title, String description, JsonObject paths,
      JsonObject schemas) {
    JsonObject allPaths = paths.copy()
        .put("/health", new JsonObject().put("get", operation("health", "Liveness check",
            new JsonObject().put("200", jsonResponse("The service is up", ref("Health"))))))
        .put("/openapi.json", new JsonObject().put("get", operation("openApi",
            "This OpenAPI document", new JsonObject().put("200",
                jsonResponse("OpenAPI 3.1.0 document", new JsonObject().put("type", "object"))))));
    JsonObject allSchemas = schemas.copy()
        .put("Error", object(new JsonObject()
            .put("error", string("Stable machine-readable code, e.g. not_found"))
            .put("message", string("Human-readable explanation")), "error", "message"))
        .put("Health", object(new JsonObject()
            .put("status", new JsonObject().put("type", "string").put("const", "UP")), "status"));
    return new JsonObject()
        .put("openapi", "3.1.0")
        .put("info", new JsonObject()
            .put("title", title)
            .put("version", "1.0.0")
            .put("description", description
                + " Fictional demo data for trying the Citizen Gateway; not for production."))
        .put("paths", allPaths)
        .put("components", new JsonObject().put("schemas", allSchemas));
  }

  static JsonObject operation(String operationId, String summary, JsonObject responses) {
    return new JsonObject()
        .put("operationId", operationId)
        .put("summary", summary)
        .put("responses", responses);
  }

  static JsonObject ref(String schema) {
    return new JsonObject().put("$ref", "#/components/schemas/" + schema);
  }

  static JsonObject arrayOf(JsonObject items) {
    return new JsonObject().put("type", "array").put("items", items);
  }

  static JsonObject string(String description) {
    return new JsonObject().put("type", "string").put("description", description);
  }

  static JsonObject object(JsonObject properties, String... required) {
    return new JsonObject()
        .put("type", "object")
        .put("properties", properties)
        .put("required", new JsonArray(List.of(required)));
  }

  static JsonObject jsonResponse(String description, JsonObject schema) {
    return new JsonObject()
        .put("description", description)
        .put("content", new JsonObject().put(JSON, new JsonObject().put("schema", schema)));
  }

  static JsonObject errorResponse(String description) {
    return jsonResponse(description, ref("Error"));
  }

  static JsonObject jsonRequestBody(String schema) {
    return new JsonObject()
        .put("required", true)
        .put("content", new JsonObject().put(JSON, new JsonObject().put("schema", ref(schema))));
  }

  static JsonObject pathParameter(String name, String description) {
    return new JsonObject()
        .put("name", name)
        .put("in", "path")
        .put("required", true)
        .put("description", description)
        .put("schema", new JsonObject().put("type", "string"));
  }

  static JsonObject queryParameter(String name, String description) {
    return new JsonObject()
        .put("name", name)
        .put("in", "query")
        .put("required", false)
        .put("description", description)
        .put("schema", new JsonObject().put("type", "string"));
  }
}
