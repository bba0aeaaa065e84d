package dev.citizen.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.demo.DemoServices.Started;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Starts the real demo services on ephemeral ports and talks HTTP/1.1 to them. */
class DemoServicesTest {

  /** Every path each service implements, with its methods: what /openapi.json must list. */
  private static final Map<String, Map<String, Set<String>>> EXPECTED_PATHS = Map.of(
      "patients", Map.of(
          "/patients", Set.of("get", "post"),
          "/patients/{id}", Set.of("get", "delete"),
          "/health", Set.of("get"),
          "/openapi.json", Set.of("get")),
      "appointments", Map.of(
          "/appointments", Set.of("get", "post"),
          "/appointments/{id}", Set.of("get"),
          "/health", Set.of("get"),
          "/openapi.json", Set.of("get")),
      "billing", Map.of(
          "/invoices", Set.of("get"),
          "/invoices/{id}", Set.of("get"),
          "/invoices/{id}/pay", Set.of("post"),
          "/health", Set.of("get"),
          "/openapi.json", Set.of("get")));

  /** A seeded id per service, to turn {id} templates into real paths. */
  private static final Map<String, String> SEEDED_ID =
      Map.of("patients", "p-1001", "appointments", "a-2001", "billing", "inv-3001");

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private Vertx vertx;
  private List<Started> started;
  private final Map<String, String> base = new HashMap<>();

  @BeforeEach
  void start() throws Exception {
    // A fresh Vertx per test: every test sees the seeded data, whatever the others changed.
    vertx = Vertx.vertx();
    started = DemoServices.startAll(vertx, 0, 0, 0)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (Started s : started) {
      base.put(s.name(), "http://127.0.0.1:" + s.port());
    }
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void startsAllThreeOnDistinctEphemeralPorts() {
    assertEquals(List.of("patients", "appointments", "billing"),
        started.stream().map(Started::name).toList());
    assertEquals(3, started.stream().map(Started::port).distinct().count());
    for (Started s : started) {
      assertTrue(s.port() > 0);
      assertEquals(s.port(), s.server().actualPort());
    }
  }

  @Test
  void openApiIs31AndListsExactlyTheImplementedPaths() throws Exception {
    for (Started s : started) {
      HttpResponse<String> r = send("GET", url(s.name(), "/openapi.json"), null);
      assertEquals(200, r.statusCode());
      assertJson(r);
      JsonObject doc = new JsonObject(r.body());
      assertEquals("3.1.0", doc.getString("openapi"), s.name());
      assertFalse(doc.getJsonObject("info").getString("title").isBlank());
      assertFalse(doc.getJsonObject("info").getString("version").isBlank());
      JsonObject paths = doc.getJsonObject("paths");
      Map<String, Set<String>> expected = EXPECTED_PATHS.get(s.name());
      assertEquals(expected.keySet(), paths.fieldNames(), s.name());
      for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
        JsonObject item = paths.getJsonObject(e.getKey());
        Set<String> methods = new HashSet<>(item.fieldNames());
        methods.remove("parameters");
        assertEquals(e.getValue(), methods, s.name() + " " + e.getKey());
        for (String method : methods) {
          assertFalse(item.getJsonObject(method).getJsonObject("responses").isEmpty());
        }
        if (e.getKey().contains("{id}")) {
          JsonObject id = item.getJsonArray("parameters").getJsonObject(0);
          assertEquals("id", id.getString("name"));
          assertEquals("path", id.getString("in"));
          assertTrue(id.getBoolean("required"));
        }
      }
      assertRefsResolve(doc, doc);
    }
  }

  @Test
  void everyDocumentedOperationIsRoutedByTheService() throws Exception {
    // The other half of "exactly": each documented method and path reaches a handler, so neither
    // 405 nor the dispatcher's "No endpoint" 404 may come back.
    for (Started s : started) {
      for (Map.Entry<String, Set<String>> e : EXPECTED_PATHS.get(s.name()).entrySet()) {
        String path = e.getKey().replace("{id}", SEEDED_ID.get(s.name()));
        for (String method : e.getValue()) {
          HttpResponse<String> r = send(method.toUpperCase(), url(s.name(), path), "{}");
          String where = s.name() + " " + method + " " + path;
          assertTrue(r.statusCode() != 405 && !r.body().contains("No endpoint"), where);
          assertTrue(r.statusCode() < 500, where);
        }
      }
    }
  }

  @Test
  void healthIsUpOnEveryService() throws Exception {
    for (Started s : started) {
      HttpResponse<String> r = send("GET", url(s.name(), "/health"), null);
      assertEquals(200, r.statusCode());
      assertJson(r);
      assertEquals(new JsonObject().put("status", "UP"), new JsonObject(r.body()));
    }
  }

  @Test
  void patientsListFilterAndGet() throws Exception {
    HttpResponse<String> all = send("GET", url("patients", "/patients"), null);
    assertEquals(200, all.statusCode());
    assertJson(all);
    assertEquals(3, new JsonArray(all.body()).size());

    HttpResponse<String> filtered = send("GET", url("patients", "/patients?name=EXAM"), null);
    JsonArray found = new JsonArray(filtered.body());
    assertEquals(1, found.size());
    assertEquals("Alex Example", found.getJsonObject(0).getString("name"));

    assertEquals(0, new JsonArray(send("GET", url("patients", "/patients?name=zzz"), null).body())
        .size());
    // java.net.URI refuses to build this target at all, so it goes over a plain socket.
    assertTrue(rawStatusLine("patients", "/patients?name=%zz").startsWith("HTTP/1.1 400 "));

    HttpResponse<String> one = send("GET", url("patients", "/patients/p-1002"), null);
    assertEquals(200, one.statusCode());
    assertEquals(new JsonObject().put("id", "p-1002").put("name", "Sam Sample")
        .put("birthDate", "1992-11-05"), new JsonObject(one.body()));

    HttpResponse<String> head = send("HEAD", url("patients", "/patients/p-1002"), null);
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
  }

  @Test
  void missingPatientIs404Json() throws Exception {
    HttpResponse<String> r = send("GET", url("patients", "/patients/p-9999"), null);
    assertEquals(404, r.statusCode());
    assertJson(r);
    JsonObject error = new JsonObject(r.body());
    assertEquals("not_found", error.getString("error"));
    assertTrue(error.getString("message").contains("p-9999"));
  }

  @Test
  void createGetAndDeletePatient() throws Exception {
    HttpResponse<String> created = send("POST", url("patients", "/patients"),
        "{\"name\":\" Riley Testcase \",\"birthDate\":\"2001-02-03\"}");
    assertEquals(201, created.statusCode());
    assertJson(created);
    JsonObject body = new JsonObject(created.body());
    assertEquals(new JsonObject().put("id", "p-1004").put("name", "Riley Testcase")
        .put("birthDate", "2001-02-03"), body);
    String location = created.headers().firstValue("Location").orElseThrow();
    // Resolves to the new patient both directly and behind the gateway's /api prefix.
    assertEquals("/patients/p-1004", URI.create("http://h/patients").resolve(location).getPath());
    assertEquals("/api/patients/p-1004",
        URI.create("http://h/api/patients").resolve(location).getPath());

    HttpResponse<String> fetched = send("GET", url("patients", "/patients/p-1004"), null);
    assertEquals(200, fetched.statusCode());
    assertEquals(body, new JsonObject(fetched.body()));

    HttpResponse<String> deleted = send("DELETE", url("patients", "/patients/p-1004"), null);
    assertEquals(204, deleted.statusCode());
    assertEquals("", deleted.body());
    assertEquals(404, send("GET", url("patients", "/patients/p-1004"), null).statusCode());
    assertEquals(404, send("DELETE", url("patients", "/patients/p-1004"), null).statusCode());

    HttpResponse<String> noBirthDate =
        send("POST", url("patients", "/patients"), "{\"name\":\"Casey Fixture\"}");
    assertEquals(201, noBirthDate.statusCode());
    JsonObject second = new JsonObject(noBirthDate.body());
    assertEquals("p-1005", second.getString("id"));
    assertTrue(second.containsKey("birthDate"));
    assertNull(second.getValue("birthDate"));
  }

  @Test
  void badPatientInputIs400() throws Exception {
    List<String> bodies = List.of(
        "",
        "{",
        "not json",
        "[{\"name\":\"A\"}]",
        "{\"name\":\"A\"} trailing",
        "{\"birthDate\":\"2000-01-01\"}",
        "{\"name\":\"   \"}",
        "{\"name\":5}",
        "{\"name\":\"A\",\"birthDate\":\"2023-02-30\"}",
        "{\"name\":\"A\",\"birthDate\":\"01/02/2000\"}",
        "{\"name\":\"A\",\"birthDate\":\"+12000-01-01\"}",
        "{\"name\":\"A\",\"birthDate\":\"2999-01-01\"}",
        "{\"name\":\"A\",\"birthDate\":19840229}",
        "{\"name\":\"" + "a".repeat(201) + "\"}");
    for (String body : bodies) {
      HttpResponse<String> r = send("POST", url("patients", "/patients"), body);
      assertEquals(400, r.statusCode(), body);
      assertJson(r);
      assertEquals("bad_request", new JsonObject(r.body()).getString("error"), body);
    }
    assertEquals(3, new JsonArray(send("GET", url("patients", "/patients"), null).body()).size());
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405WithAllow() throws Exception {
    HttpResponse<String> unknown = send("GET", url("patients", "/nope"), null);
    assertEquals(404, unknown.statusCode());
    assertJson(unknown);
    assertEquals("not_found", new JsonObject(unknown.body()).getString("error"));
    assertEquals(404, send("GET", url("patients", "/patients/"), null).statusCode());
    assertEquals(404, send("GET", url("billing", "/patients"), null).statusCode());

    HttpResponse<String> put = send("PUT", url("patients", "/patients"), "{}");
    assertEquals(405, put.statusCode());
    assertJson(put);
    assertEquals("GET, HEAD, POST", put.headers().firstValue("Allow").orElseThrow());

    HttpResponse<String> post = send("POST", url("patients", "/patients/p-1001"), "{}");
    assertEquals(405, post.statusCode());
    assertEquals("DELETE, GET, HEAD", post.headers().firstValue("Allow").orElseThrow());

    HttpResponse<String> getPay = send("GET", url("billing", "/invoices/inv-3001/pay"), null);
    assertEquals(405, getPay.statusCode());
    assertEquals("POST", getPay.headers().firstValue("Allow").orElseThrow());
  }

  @Test
  void bodiesOver64KiBAre413() throws Exception {
    byte[] big = new byte[DemoService.MAX_BODY_BYTES + 1];
    Arrays.fill(big, (byte) 'a');
    // With Content-Length: refused from the header.
    HttpResponse<String> declared =
        sendBody("POST", url("patients", "/patients"), BodyPublishers.ofByteArray(big));
    assertEquals(413, declared.statusCode());
    assertJson(declared);
    assertEquals("payload_too_large", new JsonObject(declared.body()).getString("error"));
    // Chunked, length unknown up front: refused once the bytes pass the cap.
    HttpResponse<String> chunked = sendBody("POST", url("patients", "/patients"),
        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
    assertEquals(413, chunked.statusCode());

    // Exactly at the cap is read and judged on its content (here: the name is too long).
    String prefix = "{\"name\":\"";
    String suffix = "\"}";
    String atCap = prefix + "a".repeat(DemoService.MAX_BODY_BYTES - prefix.length()
        - suffix.length()) + suffix;
    assertEquals(DemoService.MAX_BODY_BYTES, atCap.getBytes(StandardCharsets.UTF_8).length);
    HttpResponse<String> r = send("POST", url("patients", "/patients"), atCap);
    assertEquals(400, r.statusCode());
    // The service still answers normally afterwards.
    assertEquals(200, send("GET", url("patients", "/health"), null).statusCode());
  }

  @Test
  void echoesAWellFormedRequestIdAndNoOtherHeader() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url("patients", "/patients/nope")))
        .header("X-Request-Id", "req-123")
        .header("X-Forwarded-For", "203.0.113.7")
        .header("X-Custom", "x")
        .timeout(Duration.ofSeconds(10))
        .build();
    HttpResponse<String> r = client.send(request, BodyHandlers.ofString());
    assertEquals(404, r.statusCode());
    assertEquals(List.of("req-123"), r.headers().allValues("X-Request-Id"));
    assertTrue(r.headers().firstValue("X-Forwarded-For").isEmpty());
    assertTrue(r.headers().firstValue("X-Custom").isEmpty());

    HttpResponse<String> malformed = client.send(HttpRequest.newBuilder(
            URI.create(url("patients", "/health"))).header("X-Request-Id", "two words").build(),
        BodyHandlers.ofString());
    assertTrue(malformed.headers().firstValue("X-Request-Id").isEmpty());
    assertTrue(send("GET", url("patients", "/health"), null).headers()
        .firstValue("X-Request-Id").isEmpty());
  }

  @Test
  void createAppointment() throws Exception {
    HttpResponse<String> created = send("POST", url("appointments", "/appointments"),
        "{\"patientId\":\"p-1003\",\"start\":\"2026-05-04T11:30:00+02:00\",\"reason\":\"Flu\"}");
    assertEquals(201, created.statusCode());
    assertJson(created);
    JsonObject a = new JsonObject(created.body());
    assertEquals("a-2004", a.getString("id"));
    assertEquals("2026-05-04T09:30:00Z", a.getString("start")); // normalised to UTC
    assertEquals("appointments/a-2004", created.headers().firstValue("Location").orElseThrow());

    JsonArray mine = new JsonArray(
        send("GET", url("appointments", "/appointments?patientId=p-1003"), null).body());
    assertEquals(new JsonArray().add(a), mine);
    assertEquals(2, new JsonArray(
        send("GET", url("appointments", "/appointments?patientId=p-1001"), null).body()).size());
    assertEquals(200, send("GET", url("appointments", "/appointments/a-2004"), null).statusCode());
    assertEquals(404, send("GET", url("appointments", "/appointments/a-1"), null).statusCode());

    for (String bad : List.of(
        "{\"patientId\":\"p-1003\",\"start\":\"tomorrow\",\"reason\":\"Flu\"}",
        "{\"patientId\":\"p-1003\",\"start\":\"2026-05-04\",\"reason\":\"Flu\"}",
        "{\"patientId\":\"nobody\",\"start\":\"2026-05-04T09:30:00Z\",\"reason\":\"Flu\"}",
        "{\"patientId\":\"p-1003\",\"start\":\"2026-05-04T09:30:00Z\"}",
        "{\"patientId\":\"p-1003\",\"start\":\"2026-05-04T09:30:00Z\",\"reason\":\" \"}",
        "{]")) {
      assertEquals(400, send("POST", url("appointments", "/appointments"), bad).statusCode(), bad);
    }
  }

  @Test
  void payingAnInvoiceTwiceIs200Then409() throws Exception {
    HttpResponse<String> first = send("POST", url("billing", "/invoices/inv-3001/pay"), null);
    assertEquals(200, first.statusCode());
    assertJson(first);
    JsonObject paid = new JsonObject(first.body());
    assertEquals("paid", paid.getString("status"));
    assertNotNull(paid.getString("paidAt"));

    HttpResponse<String> second = send("POST", url("billing", "/invoices/inv-3001/pay"), null);
    assertEquals(409, second.statusCode());
    assertJson(second);
    assertEquals("already_paid", new JsonObject(second.body()).getString("error"));

    assertEquals(paid, new JsonObject(
        send("GET", url("billing", "/invoices/inv-3001"), null).body()));
    assertEquals(409, send("POST", url("billing", "/invoices/inv-3002/pay"), null).statusCode());
    assertEquals(404, send("POST", url("billing", "/invoices/inv-9/pay"), null).statusCode());
    JsonArray forPatient = new JsonArray(
        send("GET", url("billing", "/invoices?patientId=p-1002"), null).body());
    assertEquals(1, forPatient.size());
    assertEquals("inv-3002", forPatient.getJsonObject(0).getString("id"));
  }

  @Test
  void aFailedStartLeavesNothingDeployed() throws Exception {
    Vertx other = Vertx.vertx();
    // A plain socket, not Vert.x: Vert.x would share a port between its own servers.
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      ExecutionException e = assertThrows(ExecutionException.class, () ->
          DemoServices.startAll(other, 0, 0, taken.getLocalPort())
              .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertNotNull(e.getCause());
      assertTrue(other.deploymentIDs().isEmpty(), "the started services were undeployed");
    } finally {
      other.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  // ---- helpers ----

  private String url(String service, String pathAndQuery) {
    return base.get(service) + pathAndQuery;
  }

  private HttpResponse<String> send(String method, String url, String body) throws Exception {
    return sendBody(method, url, body == null ? BodyPublishers.noBody()
        : BodyPublishers.ofString(body, StandardCharsets.UTF_8));
  }

  private HttpResponse<String> sendBody(String method, String url, BodyPublisher body)
      throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .method(method, body)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(10))
        .build();
    return client.send(request, BodyHandlers.ofString());
  }

  /** Sends a GET with a request target as-is and returns the answer's status line. */
  private String rawStatusLine(String service, String target) throws Exception {
    URI uri = URI.create(base.get(service));
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost()
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return answer.substring(0, answer.indexOf("\r\n"));
    }
  }

  private static void assertJson(HttpResponse<String> r) {
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
  }

  /** Every {@code $ref} in the document points at an existing components/schemas entry. */
  private static void assertRefsResolve(JsonObject doc, Object node) {
    if (node instanceof JsonObject o) {
      String ref = o.getString("$ref");
      if (ref != null) {
        assertTrue(ref.startsWith("#/components/schemas/"), ref);
        String name = ref.substring("#/components/schemas/".length());
        assertTrue(doc.getJsonObject("components").getJsonObject("schemas").containsKey(name),
            ref);
      }
      o.forEach(e -> assertRefsResolve(doc, e.getValue()));
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> assertRefsResolve(doc, v));
    }
  }
}
