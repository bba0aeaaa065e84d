package dev.citizen.gateway.admin;

import dev.citizen.gateway.http.Problem;
import dev.citizen.gateway.http.RequestIds;
import dev.citizen.gateway.upstream.Service;
import dev.citizen.gateway.upstream.Version;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admin API for canary and blue-green, under {@value #PREFIX}{name}:
 *
 * <ul>
 *   <li>{@code PUT .../weights} with {@code {"stable": 50, "canary": 50}}: sets those weights;
 *   <li>{@code POST .../promote} with {@code {"version": "canary"}}: that version 100, others 0;
 *   <li>{@code POST .../rollback} (any body is ignored): every non-primary version to 0.
 * </ul>
 *
 * <p>Each answers 200 with the service's versions and weights; 404 for an unknown service, 405
 * with Allow for another method, 413 for a body over {@value #MAX_BODY} bytes, 400 for bad JSON,
 * an unknown version, a weight out of 0..1000 or every weight 0, and then nothing has changed
 * ({@link Service#setWeights} checks everything before it changes anything). The change itself is
 * logged by the Service.
 *
 * <p>Behind the admin token like every admin endpoint but health ({@link AdminServer}), on a
 * listener that binds to loopback by default.
 */
final class VersionsApi {
  static final String PREFIX = "/admin/services/";
  static final int MAX_BODY = 64 * 1024;

  private final Supplier<Map<String, Service>> services;

  VersionsApi(Supplier<Map<String, Service>> services) {
    this.services = services;
  }

  void handle(HttpServerRequest req) {
    String[] parts = req.path().substring(PREFIX.length()).split("/", -1);
    String action = parts.length == 2 ? parts[1] : "";
    HttpMethod allowed = switch (action) {
      case "weights" -> HttpMethod.PUT;
      case "promote", "rollback" -> HttpMethod.POST;
      default -> null;
    };
    if (allowed == null || parts[0].isEmpty()) {
      problem(req, new Problem(404, "not_found", "no such admin endpoint"));
      return;
    }
    String name = parts[0];
    if (services.get().get(name) == null) {
      problem(req, new Problem(404, "unknown_service", "no service \"" + name + "\""));
      return;
    }
    if (req.method() != allowed) {
      req.response().putHeader(HttpHeaders.ALLOW, allowed.name());
      problem(req, new Problem(405, "method_not_allowed", null));
      return;
    }
    readBody(req, body -> apply(req, name, action, body));
  }

  /** Reads the body up to {@link #MAX_BODY}; a larger one gets 413 and the connection is closed. */
  private static void readBody(HttpServerRequest req, java.util.function.Consumer<Buffer> then) {
    String cl = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (cl != null) {
      long declared;
      try {
        declared = Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        declared = Long.MAX_VALUE; // the HTTP decoder lets no such header through; refuse anyway
      }
      if (declared > MAX_BODY) {
        tooLarge(req);
        return;
      }
    }
    Buffer body = Buffer.buffer();
    boolean[] over = {false};
    req.handler(chunk -> {
      if (over[0]) {
        return;
      }
      if (body.length() + chunk.length() > MAX_BODY) {
        over[0] = true;
        tooLarge(req);
      } else {
        body.appendBuffer(chunk);
      }
    });
    req.endHandler(v -> {
      if (!over[0]) {
        then.accept(body);
      }
    });
  }

  private static void tooLarge(HttpServerRequest req) {
    // The rest of the body is not read; closing is how the client learns it need not send it.
    req.response().putHeader(HttpHeaders.CONNECTION, "close");
    problem(req, new Problem(413, "body_too_large", "the body is over " + MAX_BODY + " bytes"))
        .onComplete(x -> req.connection().close());
  }

  private void apply(HttpServerRequest req, String name, String action, Buffer body) {
    // Looked up again now that the body is in: a reload may have swapped the service meanwhile.
    Service service = services.get().get(name);
    if (service == null) {
      problem(req, new Problem(404, "unknown_service", "no service \"" + name + "\""));
      return;
    }
    try {
      switch (action) {
        case "weights" -> service.setWeights(weights(service, json(body)), "weights");
        case "promote" -> service.promote(promoted(service, json(body)));
        default -> service.rollBackAll();
      }
    } catch (BadRequest e) {
      problem(req, e.problem);
      return;
    } catch (IllegalArgumentException e) {
      problem(req, new Problem(400, "invalid_weights", e.getMessage()));
      return;
    }
    req.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(view(service).encode());
  }

  private static JsonObject json(Buffer body) {
    if (body.length() == 0) {
      throw new BadRequest("invalid_json", "missing body (expected: a JSON object)");
    }
    try {
      return new JsonObject(body);
    } catch (RuntimeException e) { // DecodeException, or a ClassCastException for a non-object
      throw new BadRequest("invalid_json", "the body is not a JSON object");
    }
  }

  private static Map<String, Integer> weights(Service service, JsonObject json) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : json) {
      knownVersion(service, e.getKey());
      // Jackson gives Integer for an int, Long/BigInteger beyond it, Double for a fraction.
      if (e.getValue() instanceof Integer w) {
        out.put(e.getKey(), w);
      } else if (e.getValue() instanceof Long || e.getValue() instanceof java.math.BigInteger) {
        throw new BadRequest("invalid_weights", "weight of " + e.getKey() + ": " + e.getValue()
            + " (expected: 0..1000)");
      } else {
        throw new BadRequest("invalid_weights", "weight of " + e.getKey() + ": " + e.getValue()
            + " (expected: a whole number 0..1000)");
      }
    }
    return out;
  }

  private static String promoted(Service service, JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!key.equals("version")) {
        throw new BadRequest("invalid_json", "unknown key \"" + key + "\" (expected: {\"version\": \"name\"})");
      }
    }
    if (!(json.getValue("version") instanceof String v)) {
      throw new BadRequest("invalid_json", "missing or non-string \"version\" (expected: {\"version\": \"name\"})");
    }
    knownVersion(service, v);
    return v;
  }

  private static void knownVersion(Service service, String name) {
    for (Version v : service.versions()) {
      if (v.name().equals(name)) {
        return;
      }
    }
    throw new BadRequest("unknown_version", "no version \"" + name + "\" (versions: "
        + service.weights().keySet() + ")");
  }

  /** {@code {"service": name, "versions": {name: {"weight", "configuredWeight", "primary"}}}}. */
  static JsonObject view(Service service) {
    JsonObject versions = new JsonObject();
    for (Version v : service.versions()) {
      versions.put(v.name(), new JsonObject().put("weight", v.weight()).put("configuredWeight", v.configuredWeight())
          .put("primary", v.primary()));
    }
    return new JsonObject().put("service", service.name()).put("versions", versions);
  }

  private static io.vertx.core.Future<Void> problem(HttpServerRequest req, Problem p) {
    String id = RequestIds.newId();
    return req.response().setStatusCode(p.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
        .putHeader("X-Request-Id", id).end(p.toJson(id));
  }

  /** A 400 found while reading the request, before anything changed. */
  private static final class BadRequest extends RuntimeException {
    final transient Problem problem;

    BadRequest(String code, String detail) {
      super(detail, null, false, false);
      this.problem = new Problem(400, code, detail);
    }
  }
}
