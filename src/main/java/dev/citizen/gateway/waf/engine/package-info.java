/**
 * Rule compilation and request evaluation after ModSecurity v3: {@link
 * dev.citizen.gateway.waf.engine.RuleSet#load} compiles rules once; {@link
 * dev.citizen.gateway.waf.engine.RuleSet#evaluate} runs a per-request transaction (variables,
 * body processors, phases 1 and 2, setvar/ctl/skipAfter/allow, disruption by engine mode).
 * Matches are reported when the rule logs ({@code log}, or no {@code nolog} here or in the phase's
 * SecDefaultAction), as ModSecurity's error log would show them.
 */
package dev.citizen.gateway.waf.engine;
