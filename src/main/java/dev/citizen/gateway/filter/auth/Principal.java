package dev.citizen.gateway.filter.auth;

import dev.citizen.gateway.filter.Key;
import java.util.Map;
import java.util.Set;

/**
 * Who a request was authenticated as, put on the exchange by the auth filter for the filters after
 * it (rate limits keyed by subject or API key, claim headers).
 *
 * @param subject the JWT {@code sub}, or null for an API key
 * @param apiKeyId the id of the API key used, or null for a JWT
 * @param scopes the granted scopes (JWT {@code scope}/{@code scp}); empty for an API key
 * @param claims the token's claims, or empty
 */
public record Principal(String subject, String apiKeyId, Set<String> scopes, Map<String, Object> claims) {
  public static final Key<Principal> KEY = Key.of("principal");
}
