package dev.citizen.gateway.client;

/**
 * One banned client address.
 *
 * @param address the client's address, as {@link IpAddress#toString} writes it
 * @param since when the ban began, epoch milliseconds
 * @param until when it ends, epoch milliseconds
 * @param failures the failed authentications within the window that caused it
 */
public record Ban(String address, long since, long until, int failures) {}
