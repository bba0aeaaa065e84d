package dev.citizen.gateway.config;

/**
 * One accepted API key: an entry of {@code auth.apiKeys.keys}.
 *
 * @param id the key's name, shown in logs and to later filters (the principal's apiKeyId)
 * @param sha256 the SHA-256 of the key in hex ({@code gateway hash-key} prints it)
 */
public record ApiKeyConfig(String id, String sha256) {}
