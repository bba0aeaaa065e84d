package dev.citizen.gateway.waf.transform;

/**
 * One SecLang transformation ({@code t:name}) on a byte string (one char per byte, 0..255).
 * Stateless and thread-safe: one instance serves every rule and request.
 */
@FunctionalInterface
public interface Transformation {
  String apply(String input);
}
