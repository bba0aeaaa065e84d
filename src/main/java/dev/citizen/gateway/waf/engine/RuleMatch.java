package dev.citizen.gateway.waf.engine;

import java.util.List;

/**
 * One rule that matched in a transaction, for the intervention log and the regression runner
 * (which checks rule ids).
 *
 * @param id the rule id
 * @param message the expanded {@code msg}, or null
 * @param logData the expanded {@code logdata}, or null
 * @param severity e.g. {@code CRITICAL}, or null
 * @param tags the rule's tags
 * @param matchedVariable the variable name that matched, e.g. {@code ARGS:q}
 * @param matchedData the value that matched (the caller shortens it before logging)
 */
public record RuleMatch(int id, String message, String logData, String severity, List<String> tags,
    String matchedVariable, String matchedData) {}
