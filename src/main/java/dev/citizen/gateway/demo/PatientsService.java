package dev.citizen.gateway.demo;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Demo patient registry: list, read, create and delete fictional patients. */
final class PatientsService extends DemoService {

  private static final int MAX_NAME_LENGTH = 200;
  // LocalDate.parse alone would also take "+12024-01-01"; the API promises exactly YYYY-MM-DD.
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private record Patient(String id, String name, LocalDate birthDate) {
    JsonObject toJson() {
      return new JsonObject()
          .put("id", id)
          .put("name", name)
          .put("birthDate", birthDate == null ? null : birthDate.toString());
    }
  }

  // Insertion order keeps listings stable; only touched on this verticle's event loop.
  private final Map<String, Patient> patients = new LinkedHashMap<>();
  private int nextId = 1004;

  PatientsService(int port) {
    super("patients", port);
    // Obviously invented people: the demo must never look like it holds real health data.
    add(new Patient("p-1001", "Alex Example", LocalDate.of(1984, 2, 29)));
    add(new Patient("p-1002", "Sam Sample", LocalDate.of(1992, 11, 5)));
    add(new Patient("p-1003", "Jordan Placeholder", LocalDate.of(1957, 6, 17)));
  }

  private void add(Patient p) {
    patients.put(p.id(), p);
  }

  @Override
  protected void routes() {
    route(HttpMethod.GET, "/patients", this::list);
    route(HttpMethod.POST, "/patients", this::create);
    route(HttpMethod.GET, "/patients/{id}", this::get);
    route(HttpMethod.DELETE, "/patients/{id}", this::delete);
  }

  private void list(Call call) {
    String filter = call.query("name");
    String needle = filter == null ? null : filter.toLowerCase(Locale.ROOT);
    JsonArray out = new JsonArray();
    for (Patient p : patients.values()) {
      if (needle == null || p.name().toLowerCase(Locale.ROOT).contains(needle)) {
        out.add(p.toJson());
      }
    }
    call.json(200, out);
  }

  private void get(Call call) {
    Patient p = patients.get(call.pathParam("id"));
    if (p == null) {
      call.notFound("Patient " + call.pathParam("id"));
    } else {
      call.json(200, p.toJson());
    }
  }

  private void delete(Call call) {
    if (patients.remove(call.pathParam("id")) == null) {
      call.notFound("Patient " + call.pathParam("id"));
    } else {
      call.noContent();
    }
  }

  private void create(Call call) {
    JsonObject in = call.jsonBody();
    if (in == null) {
      return;
    }
    if (!(in.getValue("name") instanceof String rawName) || rawName.isBlank()) {
      call.badRequest("name is required and must be a non-empty string");
      return;
    }
    String name = rawName.strip();
    if (name.length() > MAX_NAME_LENGTH) {
      call.badRequest("name must be at most " + MAX_NAME_LENGTH + " characters");
      return;
    }
    Object rawDate = in.getValue("birthDate");
    LocalDate birthDate = null;
    if (rawDate != null) {
      birthDate = rawDate instanceof String s ? parseBirthDate(s) : null;
      if (birthDate == null) {
        call.badRequest("birthDate must be a past or present date in the form YYYY-MM-DD");
        return;
      }
    }
    Patient p = new Patient("p-" + nextId++, name, birthDate);
    add(p);
    call.created("patients/" + p.id(), p.toJson());
  }

  /** The date, or null when it is not YYYY-MM-DD, not a real day, or in the future. */
  private static LocalDate parseBirthDate(String s) {
    if (!DATE.matcher(s).matches()) {
      return null;
    }
    try {
      LocalDate d = LocalDate.parse(s); // ISO_LOCAL_DATE is strict: 2023-02-30 is refused
      return d.isAfter(LocalDate.now(ZoneOffset.UTC)) ? null : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Override
  protected JsonObject openApi() {
    JsonObject badInput = errorResponse("Invalid JSON or invalid fields");
    JsonObject tooLarge = errorResponse("Body larger than 64 KiB");
    JsonObject missing = errorResponse("No such patient");
    JsonObject collection = new JsonObject()
        .put("get", operation("listPatients", "List patients", new JsonObject()
                .put("200", jsonResponse("Matching patients", arrayOf(ref("Patient")))))
            .put("parameters", new JsonArray().add(
                queryParameter("name", "Case-insensitive substring of the patient's name"))))
        .put("post", operation("createPatient", "Register a patient", new JsonObject()
                .put("201", jsonResponse("Created", ref("Patient")).put("headers",
                    new JsonObject().put("Location", new JsonObject()
                        .put("description", "The new patient, relative to /patients")
                        .put("schema", new JsonObject().put("type", "string")))))
                .put("400", badInput)
                .put("413", tooLarge))
            .put("requestBody", jsonRequestBody("NewPatient")));
    JsonObject item = new JsonObject()
        .put("parameters", new JsonArray().add(pathParameter("id", "Patient id, e.g. p-1001")))
        .put("get", operation("getPatient", "Get one patient", new JsonObject()
            .put("200", jsonResponse("The patient", ref("Patient")))
            .put("404", missing)))
        .put("delete", operation("deletePatient", "Delete a patient", new JsonObject()
            .put("204", new JsonObject().put("description", "Deleted"))
            .put("404", missing)));
    JsonObject birthDate = new JsonObject()
        .put("type", new JsonArray().add("string").add("null"))
        .put("format", "date")
        .put("description", "YYYY-MM-DD, not in the future");
    JsonObject schemas = new JsonObject()
        .put("Patient", object(new JsonObject()
            .put("id", string("Assigned by the service, e.g. p-1004"))
            .put("name", string("Full name"))
            .put("birthDate", birthDate), "id", "name", "birthDate"))
        .put("NewPatient", object(new JsonObject()
            .put("name", string("Full name, not blank")
                .put("minLength", 1).put("maxLength", MAX_NAME_LENGTH).put("pattern", "\\S"))
            .put("birthDate", birthDate.copy()), "name"));
    return openApiDocument("Citizen demo: patients", "Patient registry.",
        new JsonObject().put("/patients", collection).put("/patients/{id}", item), schemas);
  }
}
