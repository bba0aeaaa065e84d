package dev.citizen.gateway.accesslog;

/**
 * Formats epoch milliseconds as ISO-8601 UTC with milliseconds ({@code 2025-03-01T09:30:00.123Z})
 * straight into a builder: integer arithmetic only, since it runs once per request on the event
 * loop, where {@code DateTimeFormatter} would allocate several objects per call.
 */
final class IsoTimestamp {
  private IsoTimestamp() {}

  static void append(StringBuilder out, long epochMillis) {
    long days = Math.floorDiv(epochMillis, 86_400_000L);
    long msOfDay = Math.floorMod(epochMillis, 86_400_000L);
    // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted), proleptic
    // Gregorian as java.time uses.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    pad(out, year, 4).append('-');
    pad(out, month, 2).append('-');
    pad(out, day, 2).append('T');
    pad(out, msOfDay / 3_600_000, 2).append(':');
    pad(out, msOfDay / 60_000 % 60, 2).append(':');
    pad(out, msOfDay / 1_000 % 60, 2).append('.');
    pad(out, msOfDay % 1_000, 3).append('Z');
  }

  private static StringBuilder pad(StringBuilder out, long v, int digits) {
    long limit = 1;
    for (int i = 1; i < digits; i++) {
      limit *= 10;
      if (v < limit) {
        out.append('0');
      }
    }
    return out.append(v);
  }
}
