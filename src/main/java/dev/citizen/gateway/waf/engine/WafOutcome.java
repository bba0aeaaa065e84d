package dev.citizen.gateway.waf.engine;

import java.util.List;

/**
 * What one request's evaluation found.
 *
 * @param matches every rule that matched, in evaluation order (chains report their first rule's id)
 * @param disrupted whether a disruptive action ({@code deny}, {@code block} in blocking mode,
 *     {@code drop}, {@code redirect}) fired
 * @param status the status the disruptive action asks for (403 by default), or 0
 * @param ruleId the id of the rule whose disruptive action fired, or 0
 */
public record WafOutcome(List<RuleMatch> matches, boolean disrupted, int status, int ruleId) {}
