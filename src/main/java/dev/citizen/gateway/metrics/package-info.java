/**
 * Prometheus metrics at {@code GET /metrics} on the admin port (Micrometer with its Prometheus
 * registry): text format 0.0.4, or OpenMetrics when the scraper's {@code Accept} asks for it. Like
 * the whole admin API it needs the admin token ({@code Authorization: Bearer ...}).
 *
 * <pre>
 * observability:
 *   metrics:
 *     enabled: true      # (default true) false: no observer at all, and /metrics answers 404
 * </pre>
 *
 * <p>Label values are bounded by the config: route ids, service names, version names and endpoint
 * URLs, never a request's path, query or ids. A request that matched no route is
 * {@code route="none", service="none"}; {@code method} is GET, HEAD, POST, PUT, DELETE, PATCH,
 * OPTIONS or OTHER; {@code status_class} is 1xx..5xx.
 *
 * <table>
 *   <caption>The metrics</caption>
 *   <tr><th>name</th><th>type</th><th>labels</th></tr>
 *   <tr><td>gateway_request_duration_seconds</td><td>histogram (its _count is the request count)</td>
 *       <td>route, service, method, status_class</td></tr>
 *   <tr><td>gateway_requests_in_flight</td><td>gauge</td><td>route, service, method</td></tr>
 *   <tr><td>gateway_upstream_request_duration_seconds</td><td>histogram</td>
 *       <td>service, endpoint, outcome (response, connect_failed, reset, timeout, client, cancelled)</td></tr>
 *   <tr><td>gateway_upstream_connect_errors_total, gateway_upstream_timeouts_total</td><td>counter</td>
 *       <td>service, endpoint</td></tr>
 *   <tr><td>gateway_upstream_in_flight</td><td>gauge</td><td>service, endpoint</td></tr>
 *   <tr><td>gateway_circuit_breaker_state</td><td>gauge 0/1</td>
 *       <td>service, state (closed, open, half_open, disabled)</td></tr>
 *   <tr><td>gateway_endpoint_healthy, gateway_endpoint_ejected</td><td>gauge 0/1</td>
 *       <td>service, version, endpoint</td></tr>
 *   <tr><td>gateway_service_available</td><td>gauge 0/1</td><td>service</td></tr>
 *   <tr><td>gateway_endpoint_ejections_total</td><td>counter</td><td>service, endpoint</td></tr>
 *   <tr><td>gateway_retries_total</td><td>counter</td><td>route, service</td></tr>
 *   <tr><td>gateway_retry_budget_exhausted_total, gateway_circuit_rejections_total</td><td>counter</td>
 *       <td>service</td></tr>
 *   <tr><td>gateway_config_reloads_total</td><td>counter</td><td>result (success, failure)</td></tr>
 *   <tr><td>gateway_config_last_reload_success</td><td>gauge 0/1</td><td></td></tr>
 *   <tr><td>gateway_build_info</td><td>gauge 1</td><td>version, java_version</td></tr>
 *   <tr><td>jvm_*, process_*, system_*</td><td></td><td>Micrometer's JVM and process binders</td></tr>
 * </table>
 *
 * <p>Both histograms have the buckets of {@link dev.citizen.gateway.metrics.Buckets} (5 ms to 10 s,
 * with 300 ms and 500 ms, the latency objectives, among them), written {@code le="0.3"},
 * {@code le="0.5"}, {@code le="1.0"}, {@code le="10.0"}; Micrometer adds a {@code _max} gauge
 * beside each.
 *
 * <p>How they are kept: the request path feeds {@link dev.citizen.gateway.metrics.RequestMetrics},
 * an observer that finds its meters in small maps and arrays and records with atomics (no per-request
 * allocation of ids or tags, no lock). A request is in flight from its first upstream attempt to its
 * end. Upstream state (breakers, health, ejections, in-flight attempts) is read from the serving
 * snapshot when scraped ({@link dev.citizen.gateway.metrics.UpstreamState}); the meters of services
 * and endpoints a reload removed leave {@code /metrics} at the next scrape, while route series stay
 * once seen. The scrape renders on a worker thread, never on an event loop.
 */
package dev.citizen.gateway.metrics;
