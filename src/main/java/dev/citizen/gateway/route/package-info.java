/**
 * Request matching: path normalisation ({@link dev.citizen.gateway.route.PathNormalizer}), compiled
 * path patterns ({@link dev.citizen.gateway.route.PathPattern}) and the
 * {@link dev.citizen.gateway.route.Router} that picks the most specific matching route.
 *
 * <pre>
 * routes:
 *   - id: patients
 *     match: {path: /api/patients/**, methods: [GET, POST], host: api.example.org, headers: {X-Tenant: acme}}
 *     service: patients
 *     stripPrefix: /api
 * </pre>
 *
 * Precedence: exact ({@code /a/b}) over template ({@code /a/{id}}) over prefix ({@code /a/**});
 * more literal characters first; then file order.
 */
package dev.citizen.gateway.route;
