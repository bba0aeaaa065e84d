package dev.citizen.gateway.demo;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Demo billing: list and read invoices, and pay one.
 *
 * <p>Paying is the one state change that can conflict, which makes it the demo's example of a
 * 409: the second payment of the same invoice is refused, not silently repeated.
 */
final class BillingService extends DemoService {

  /** Amounts are integer cents: binary floating point cannot hold most decimal prices exactly. */
  private record Invoice(String id, String patientId, String description, long amountCents,
      String currency, LocalDate issuedOn, Instant paidAt) {

    Invoice paid(Instant when) {
      return new Invoice(id, patientId, description, amountCents, currency, issuedOn, when);
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("id", id)
          .put("patientId", patientId)
          .put("description", description)
          .put("amountCents", amountCents)
          .put("currency", currency)
          .put("issuedOn", issuedOn.toString())
          .put("status", paidAt == null ? "open" : "paid")
          .put("paidAt", paidAt == null ? null : paidAt.toString());
    }
  }

  // Insertion order keeps listings stable; only touched on this verticle's event loop.
  private final Map<String, Invoice> invoices = new LinkedHashMap<>();

  BillingService(int port) {
    super("billing", port);
    add(new Invoice("inv-3001", "p-1001", "Annual check-up", 8500, "EUR",
        LocalDate.of(2026, 1, 12), null));
    add(new Invoice("inv-3002", "p-1002", "Vaccination", 4250, "EUR",
        LocalDate.of(2026, 1, 20), Instant.parse("2026-01-27T09:12:00Z")));
    add(new Invoice("inv-3003", "p-1003", "Blood panel", 12000, "EUR",
        LocalDate.of(2026, 2, 3), null));
  }

  private void add(Invoice i) {
    invoices.put(i.id(), i);
  }

  @Override
  protected void routes() {
    route(HttpMethod.GET, "/invoices", this::list);
    route(HttpMethod.GET, "/invoices/{id}", this::get);
    route(HttpMethod.POST, "/invoices/{id}/pay", this::pay);
  }

  private void list(Call call) {
    String patientId = call.query("patientId");
    JsonArray out = new JsonArray();
    for (Invoice i : invoices.values()) {
      if (patientId == null || i.patientId().equals(patientId)) {
        out.add(i.toJson());
      }
    }
    call.json(200, out);
  }

  private void get(Call call) {
    Invoice i = invoices.get(call.pathParam("id"));
    if (i == null) {
      call.notFound("Invoice " + call.pathParam("id"));
    } else {
      call.json(200, i.toJson());
    }
  }

  /** Any request body is ignored (but still capped): there is nothing to choose when paying. */
  private void pay(Call call) {
    Invoice i = invoices.get(call.pathParam("id"));
    if (i == null) {
      call.notFound("Invoice " + call.pathParam("id"));
    } else if (i.paidAt() != null) {
      call.error(409, "already_paid", "Invoice " + i.id() + " was paid at " + i.paidAt());
    } else {
      // Whole seconds: a payment time with nanoseconds only adds noise to the demo output.
      Invoice paid = i.paid(Instant.now().truncatedTo(ChronoUnit.SECONDS));
      add(paid);
      call.json(200, paid.toJson());
    }
  }

  @Override
  protected JsonObject openApi() {
    JsonObject idParameter = pathParameter("id", "Invoice id, e.g. inv-3001");
    JsonObject missing = errorResponse("No such invoice");
    JsonObject collection = new JsonObject()
        .put("get", operation("listInvoices", "List invoices", new JsonObject()
                .put("200", jsonResponse("Matching invoices", arrayOf(ref("Invoice")))))
            .put("parameters", new JsonArray().add(
                queryParameter("patientId", "Only this patient's invoices, e.g. p-1001"))));
    JsonObject item = new JsonObject()
        .put("parameters", new JsonArray().add(idParameter))
        .put("get", operation("getInvoice", "Get one invoice", new JsonObject()
            .put("200", jsonResponse("The invoice", ref("Invoice")))
            .put("404", missing)));
    JsonObject pay = new JsonObject()
        .put("parameters", new JsonArray().add(idParameter.copy()))
        .put("post", operation("payInvoice", "Mark an invoice as paid", new JsonObject()
            .put("200", jsonResponse("The invoice, now paid", ref("Invoice")))
            .put("404", missing)
            .put("409", errorResponse("The invoice was already paid"))
            .put("413", errorResponse("Body larger than 64 KiB"))));
    JsonObject invoice = object(new JsonObject()
        .put("id", string("Invoice id, e.g. inv-3001"))
        .put("patientId", string("Patient id, e.g. p-1001"))
        .put("description", string("What was billed"))
        .put("amountCents", new JsonObject().put("type", "integer").put("minimum", 0)
            .put("description", "Amount in cents of the currency"))
        .put("currency", string("ISO 4217 code").put("pattern", "^[A-Z]{3}$"))
        .put("issuedOn", string("Issue date").put("format", "date"))
        .put("status", string("open until paid").put("enum", new JsonArray().add("open").add("paid")))
        .put("paidAt", new JsonObject()
            .put("type", new JsonArray().add("string").add("null"))
            .put("format", "date-time")
            .put("description", "When it was paid, null while open")),
        "id", "patientId", "description", "amountCents", "currency", "issuedOn", "status",
        "paidAt");
    return openApiDocument("Citizen demo: billing", "Invoices and their payment.",
        new JsonObject()
            .put("/invoices", collection)
            .put("/invoices/{id}", item)
            .put("/invoices/{id}/pay", pay),
        new JsonObject().put("Invoice", invoice));
  }
}
