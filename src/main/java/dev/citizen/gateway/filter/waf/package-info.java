/**
 * The web application firewall on the request path: {@link dev.citizen.gateway.filter.waf.WafFilter}
 * (SECURITY phase, after auth and rate limits) runs the OWASP Core Rule Set on a route's requests
 * through the engine in {@code dev.citizen.gateway.waf}.
 *
 * <ul>
 *   <li>{@link dev.citizen.gateway.filter.waf.WafSettings}: what a compiled rule set depends on
 *       (CRS files, mode, paranoia level, threshold, exclusions); routes with equal settings
 *       share one.
 *   <li>{@link dev.citizen.gateway.filter.waf.WafDirectives}: those settings as SecLang, the CRS
 *       way ({@code SecAction} with {@code tx.paranoia_level} etc. before the rules, {@code
 *       SecRuleRemoveById} and {@code SecRuleEngine} after), and the files to load.
 *   <li>{@link dev.citizen.gateway.filter.waf.WafRuleSets}: compiled rule sets by settings, held
 *       in {@code server.EdgeState} so a reload that keeps the settings reuses them.
 *   <li>{@link dev.citizen.gateway.filter.waf.BodyCollector}: reads the body for inspection;
 *       {@link dev.citizen.gateway.filter.Exchange#body} hands it to the proxy step.
 *   <li>{@link dev.citizen.gateway.filter.waf.WafLog}: one log line per request that matched.
 * </ul>
 *
 * <p>Config: the {@code waf} key ({@code config.WafConfig}) and {@code routes[].waf} ({@code
 * config.RouteWafConfig}); see the README's "Web application firewall".
 */
package dev.citizen.gateway.filter.waf;
