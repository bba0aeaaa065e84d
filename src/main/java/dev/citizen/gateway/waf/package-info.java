/**
 * The web application firewall: a SecLang engine in pure Java that runs the OWASP Core Rule Set.
 *
 * <p>Values are byte strings: every request byte is one {@code char} in 0..255 (ISO-8859-1), so
 * transformations and operators see the bytes ModSecurity sees (a UTF-8 {@code é} is two chars,
 * {@code %C3%A9} decodes to those two chars) and results match ModSecurity's byte-level ones.
 *
 * <ul>
 *   <li>{@code waf.transform}: transformations ({@code t:lowercase}, {@code t:urlDecodeUni}, ...);
 *   <li>{@code waf.operator}: operators ({@code @rx}, {@code @pm}, {@code @detectSQLi}, ...);
 *   <li>{@code waf.libinjection}: the SQLi and XSS detectors behind {@code @detectSQLi} and
 *       {@code @detectXSS}, after the published libinjection algorithm and data;
 *   <li>{@code waf.seclang}: the rule-file parser; {@code waf.engine}: transactions and rule
 *       evaluation.
 * </ul>
 */
package dev.citizen.gateway.waf;
