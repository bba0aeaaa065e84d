package dev.citizen.gateway.blackbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads and changes the admin listener for black-box tests: {@code /admin/services}, {@code
 * /admin/bans} and friends, with the test gateways' admin token ({@link TestGateway#ADMIN_TOKEN}).
 */
final class AdminApi {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** The header that opens the admin API of a test gateway, for tests that build their own requests. */
  static final String AUTHORIZATION = "Bearer " + TestGateway.ADMIN_TOKEN;

  private AdminApi() {}

  /** GET with the test gateways' admin token. */
  static HttpResponse<String> get(int port, String path) throws Exception {
    return get(port, path, AUTHORIZATION);
  }

  /** GET with {@code authorization} as the Authorization header (null: none). */
  static HttpResponse<String> get(int port, String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> delete(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).DELETE()
        .header("Authorization", AUTHORIZATION).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The {@code bans} array of {@code GET /admin/bans}. */
  static JsonArray bans(int adminPort) {
    try {
      HttpResponse<String> r = get(adminPort, "/admin/bans");
      if (r.statusCode() != 200) {
        throw new AssertionError("GET /admin/bans: " + r.statusCode() + " " + r.body());
      }
      return new JsonObject(r.body()).getJsonArray("bans");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The {@code services} object of {@code GET /admin/services}. */
  static JsonObject services(int adminPort) {
    try {
      return new JsonObject(get(adminPort, "/admin/services").body()).getJsonObject("services");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The entry of the endpoint with {@code url} in any version of {@code service}, or null. */
  static JsonObject endpoint(int adminPort, String service, String url) {
    JsonObject versions = services(adminPort).getJsonObject(service).getJsonObject("versions");
    for (String v : versions.fieldNames()) {
      JsonArray eps = versions.getJsonObject(v).getJsonArray("endpoints");
      for (int i = 0; i < eps.size(); i++) {
        if (eps.getJsonObject(i).getString("url").equals(url)) {
          return eps.getJsonObject(i);
        }
      }
    }
    return null;
  }

  /** {@code healthy}, {@code unhealthy} or {@code ejected}. */
  static String state(int adminPort, String service, String url) {
    return endpoint(adminPort, service, url).getString("state");
  }
}
