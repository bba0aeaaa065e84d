/**
 * SecLang operators ({@code @rx}, {@code @pm}, {@code @within}, ...), compiled once when the rules
 * load by {@link dev.citizen.gateway.waf.operator.Operators#compile}. {@code @rx} translates PCRE to
 * java.util.regex ({@code PcreTranslator}) and adds the two PCRE optimisations CRS patterns rely
 * on to fail fast (a leading {@code .*} anchors; required literal characters are checked first),
 * plus a step budget in place of PCRE's match limit.
 */
package dev.citizen.gateway.waf.operator;
