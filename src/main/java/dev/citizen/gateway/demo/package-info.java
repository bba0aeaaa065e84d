/**
 * Demo services for trying the Citizen Gateway: a fictional patients registry, appointment book
 * and billing service that {@code ./gateway demo} starts next to the gateway.
 *
 * <p><b>Not for production.</b> Data lives in memory only, is reset on every start, and is
 * invented (names like "Alex Example"); there is no authentication, no persistence and no
 * audit trail. The services exist so the gateway has something realistic to route to.
 *
 * <h2>What runs</h2>
 *
 * <p>{@link dev.citizen.gateway.demo.DemoServices#startAll} deploys three plain Vert.x HTTP/1.1
 * servers on 127.0.0.1, each on its own event loop. Paths below are as a service sees them; the
 * gateway strips its {@code /api} prefix, so a client calls {@code /api/patients} and so on.
 *
 * <ul>
 *   <li>patients: {@code GET /patients[?name=]}, {@code GET /patients/{id}},
 *       {@code POST /patients} ({@code name} required, {@code birthDate} YYYY-MM-DD optional),
 *       {@code DELETE /patients/{id}}
 *   <li>appointments: {@code GET /appointments[?patientId=]}, {@code GET /appointments/{id}},
 *       {@code POST /appointments} ({@code patientId}, {@code start} ISO-8601 instant,
 *       {@code reason}, all required)
 *   <li>billing: {@code GET /invoices[?patientId=]}, {@code GET /invoices/{id}},
 *       {@code POST /invoices/{id}/pay} (409 when already paid)
 *   <li>every service: {@code GET /health} and {@code GET /openapi.json} (OpenAPI 3.1.0)
 * </ul>
 *
 * <h2>Behaviour worth knowing when testing the gateway</h2>
 *
 * <ul>
 *   <li>Answers are {@code application/json}; errors are {@code {"error": code, "message": text}}.
 *   <li>Unknown path: 404. Known path, other method: 405 with {@code Allow}. HEAD works wherever
 *       GET does.
 *   <li>Bodies over 64 KiB: 413. Bodies that are not a JSON object, or invalid fields: 400.
 *   <li>201 answers carry a {@code Location} relative to the collection (e.g.
 *       {@code patients/p-1004}), which resolves correctly with or without the {@code /api}
 *       prefix.
 *   <li>A well-formed {@code X-Request-Id} is echoed back; no other request header is.
 * </ul>
 *
 * <p>Try it: {@code curl -s localhost:<port>/api/patients?name=ex} through the gateway, or the
 * service port directly without {@code /api}.
 */
package dev.citizen.gateway.demo;
