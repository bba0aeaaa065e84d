package dev.citizen.gateway.client;

/**
 * When {@link Bans} bans: after {@code maxFailures} failed authentications from one address
 * within {@code windowMillis}, for {@code banForMillis}. {@code maxAddresses} bounds the memory:
 * at most that many addresses have failure counters, and at most that many are banned.
 * Passed with each failure, so a reload that changes the settings applies to the next failure.
 */
public record BanPolicy(int maxFailures, long windowMillis, long banForMillis, int maxAddresses) {}
