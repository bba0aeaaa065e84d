package dev.citizen.gateway.demo;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Demo appointment book: list, read and book appointments.
 *
 * <p>A patient id is checked for its shape only: the demo services share nothing, just as
 * separately deployed services would not share a database.
 */
final class AppointmentsService extends DemoService {

  private static final int MAX_REASON_LENGTH = 500;
  private static final Pattern PATIENT_ID = Pattern.compile("p-\\d{1,12}");

  private record Appointment(String id, String patientId, Instant start, String reason) {
    JsonObject toJson() {
      return new JsonObject()
          .put("id", id)
          .put("patientId", patientId)
          .put("start", start.toString())
          .put("reason", reason);
    }
  }

  // Insertion order keeps listings stable; only touched on this verticle's event loop.
  private final Map<String, Appointment> appointments = new LinkedHashMap<>();
  private int nextId = 2004;

  AppointmentsService(int port) {
    super("appointments", port);
    add(new Appointment("a-2001", "p-1001", Instant.parse("2026-03-02T08:30:00Z"),
        "Annual check-up"));
    add(new Appointment("a-2002", "p-1002", Instant.parse("2026-03-02T10:00:00Z"),
        "Vaccination"));
    add(new Appointment("a-2003", "p-1001", Instant.parse("2026-03-16T14:15:00Z"),
        "Follow-up on lab results"));
  }

  private void add(Appointment a) {
    appointments.put(a.id(), a);
  }

  @Override
  protected void routes() {
    route(HttpMethod.GET, "/appointments", this::list);
    route(HttpMethod.POST, "/appointments", this::create);
    route(HttpMethod.GET, "/appointments/{id}", this::get);
  }

  private void list(Call call) {
    String patientId = call.query("patientId");
    JsonArray out = new JsonArray();
    for (Appointment a : appointments.values()) {
      if (patientId == null || a.patientId().equals(patientId)) {
        out.add(a.toJson());
      }
    }
    call.json(200, out);
  }

  private void get(Call call) {
    Appointment a = appointments.get(call.pathParam("id"));
    if (a == null) {
      call.notFound("Appointment " + call.pathParam("id"));
    } else {
      call.json(200, a.toJson());
    }
  }

  private void create(Call call) {
    JsonObject in = call.jsonBody();
    if (in == null) {
      return;
    }
    if (!(in.getValue("patientId") instanceof String patientId)
        || !PATIENT_ID.matcher(patientId).matches()) {
      call.badRequest("patientId is required and must look like p-1001");
      return;
    }
    Instant start = in.getValue("start") instanceof String s ? parseInstant(s) : null;
    if (start == null) {
      call.badRequest("start is required and must be an ISO-8601 instant such as "
          + "2026-05-04T09:30:00Z");
      return;
    }
    if (!(in.getValue("reason") instanceof String rawReason) || rawReason.isBlank()
        || rawReason.strip().length() > MAX_REASON_LENGTH) {
      call.badRequest("reason is required: a non-empty string of at most "
          + MAX_REASON_LENGTH + " characters");
      return;
    }
    Appointment a = new Appointment("a-" + nextId++, patientId, start, rawReason.strip());
    add(a);
    call.created("appointments/" + a.id(), a.toJson());
  }

  /** The instant, or null; an offset such as +02:00 is accepted and normalised to UTC. */
  private static Instant parseInstant(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Override
  protected JsonObject openApi() {
    JsonObject collection = new JsonObject()
        .put("get", operation("listAppointments", "List appointments", new JsonObject()
                .put("200", jsonResponse("Matching appointments", arrayOf(ref("Appointment")))))
            .put("parameters", new JsonArray().add(
                queryParameter("patientId", "Only this patient's appointments, e.g. p-1001"))))
        .put("post", operation("createAppointment", "Book an appointment", new JsonObject()
                .put("201", jsonResponse("Booked", ref("Appointment")).put("headers",
                    new JsonObject().put("Location", new JsonObject()
                        .put("description", "The new appointment, relative to /appointments")
                        .put("schema", new JsonObject().put("type", "string")))))
                .put("400", errorResponse("Invalid JSON or invalid fields"))
                .put("413", errorResponse("Body larger than 64 KiB")))
            .put("requestBody", jsonRequestBody("NewAppointment")));
    JsonObject item = new JsonObject()
        .put("parameters", new JsonArray().add(pathParameter("id", "Appointment id, e.g. a-2001")))
        .put("get", operation("getAppointment", "Get one appointment", new JsonObject()
            .put("200", jsonResponse("The appointment", ref("Appointment")))
            .put("404", errorResponse("No such appointment"))));
    JsonObject patientId = string("Patient id, e.g. p-1001").put("pattern", "^p-[0-9]{1,12}$");
    JsonObject start = string("ISO-8601 instant; answers give it in UTC")
        .put("format", "date-time");
    JsonObject reason = string("Why the patient comes")
        .put("minLength", 1).put("maxLength", MAX_REASON_LENGTH).put("pattern", "\\S");
    JsonObject schemas = new JsonObject()
        .put("Appointment", object(new JsonObject()
            .put("id", string("Assigned by the service, e.g. a-2004"))
            .put("patientId", patientId)
            .put("start", start)
            .put("reason", reason), "id", "patientId", "start", "reason"))
        .put("NewAppointment", object(new JsonObject()
            .put("patientId", patientId.copy())
            .put("start", start.copy())
            .put("reason", reason.copy()), "patientId", "start", "reason"));
    return openApiDocument("Citizen demo: appointments", "Appointment book.",
        new JsonObject().put("/appointments", collection).put("/appointments/{id}", item),
        schemas);
  }
}
