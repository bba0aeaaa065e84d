/**
 * The SecLang rule-file parser: logical lines (continuations, comments), directive arguments,
 * action and variable lists, {@code Include} with globs. Syntax only; the engine compiles what it
 * produces ({@link dev.citizen.gateway.waf.seclang.ParsedConfig}) and reports compile errors with
 * the same {@code file:line}.
 */
package dev.citizen.gateway.waf.seclang;
