/**
 * SecLang transformations ({@code t:lowercase}, {@code t:urlDecodeUni}, ...) on byte strings, ported
 * from ModSecurity v3 byte for byte and checked against ModSecurity's own test vectors. Entry point:
 * {@link dev.citizen.gateway.waf.transform.Transformations#byName}. A transformation that changes
 * nothing returns its input instance.
 */
package dev.citizen.gateway.waf.transform;
