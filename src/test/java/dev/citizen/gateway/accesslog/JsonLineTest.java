package dev.citizen.gateway.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The JSON builder: every string comes back unchanged through a JSON parser, and a line stays one line. */
class JsonLineTest {

  private static String json(String name, String value) {
    return new JsonLine(new StringBuilder()).field(name, value).end().toString();
  }

  /** What a JSON parser makes of the value written for {@code value}. */
  private static String roundTrip(String value) {
    return new JsonObject(json("v", value)).getString("v");
  }

  @Test
  void quotesAndBackslashesAreEscaped() {
    assertEquals("{\"v\":\"say \\\"hi\\\" \\\\o/\"}", json("v", "say \"hi\" \\o/"));
    assertEquals("\"}{\"injected\":\"", roundTrip("\"}{\"injected\":\""));
  }

  @Test
  void controlCharactersAreEscapedSoALineStaysOneLine() {
    assertEquals("{\"v\":\"a\\nb\\rc\\td\\be\\ff\"}", json("v", "a\nb\rc\td\be\ff"));
    assertEquals("{\"v\":\"\\u0000\\u0001\\u001f\\u007f\\u0085\\u009b\"}", json("v", "\0\u0001\u001f\u007f\u0085\u009b"));
    String every = new StringBuilder().append((char) 0).append("x").append((char) 0x1b).append("[31mred")
        .append('\u2028').append('\u2029').toString();
    String line = json("v", every);
    for (char c : line.toCharArray()) {
      assertTrue(c >= 0x20 && c != 0x7f && c != '\u2028' && c != '\u2029', "raw control char " + (int) c + " in " + line);
    }
    assertEquals(every, roundTrip(every));
  }

  @Test
  void nonAsciiIsWrittenAsIsButLoneSurrogatesAreEscaped() {
    assertEquals("{\"v\":\"Zoë 日本 \uD83D\uDE00\"}", json("v", "Zoë 日本 \uD83D\uDE00"), "UTF-8 text stays readable");
    assertEquals("{\"v\":\"a\\ud83db\\ude00\"}", json("v", "a\uD83Db\uDE00"), "a lone surrogate has no UTF-8 form");
    assertEquals("Zoë 日本 \uD83D\uDE00", roundTrip("Zoë 日本 \uD83D\uDE00"));
  }

  @Test
  void randomStringsSurviveAParser() {
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < 2000; i++) {
      StringBuilder s = new StringBuilder();
      int n = r.nextInt(40);
      for (int j = 0; j < n; j++) {
        s.append((char) (r.nextBoolean() ? r.nextInt(0x100) : r.nextInt(0x10000)));
      }
      String v = s.toString();
      String line = json("v", v);
      assertFalse(line.contains("\n") || line.contains("\r"), line);
      // Lone surrogates are escaped as \\uXXXX, which a parser turns back into the same char.
      assertEquals(v, new JsonObject(line).getString("v"));
    }
  }

  @Test
  void fieldsNumbersAndNestedObjects() {
    String line = new JsonLine(new StringBuilder("left over"))
        .field("a", "x").field("absent", (String) null).field("n", -42L).field("b", true)
        .number("d", 1.5e10).millis("ms", 12_345_678L).millis("small", 7_000L)
        .beginObject("h").field("k", "v").field("k2", "v2").endObject()
        .field("after", "y").end().toString();
    assertEquals("{\"a\":\"x\",\"n\":-42,\"b\":true,\"d\":1.5E10,\"ms\":12.345,\"small\":0.007,"
        + "\"h\":{\"k\":\"v\",\"k2\":\"v2\"},\"after\":\"y\"}", line);
    JsonObject o = new JsonObject(line);
    assertEquals(12.345, o.getDouble("ms"));
    assertEquals(1.5e10, o.getDouble("d"));
    assertFalse(JsonLine.isJsonNumber(Double.NaN));
    assertFalse(JsonLine.isJsonNumber(Double.POSITIVE_INFINITY));
  }

  @Test
  void preRenderedKeysWriteWhatNamesWrite() {
    JsonLine.Key a = JsonLine.Key.of("a");
    JsonLine.Key odd = JsonLine.Key.of("we\"ird\n");
    String byKey = new JsonLine(new StringBuilder()).timestamp(a, 0).field(odd, "x").field(a, 7L)
        .field(odd, (String) null).millis(JsonLine.Key.of("ms"), 1_500L).end().toString();
    String byName = new JsonLine(new StringBuilder()).timestamp("a", 0).field("we\"ird\n", "x").field("a", 7L)
        .field("we\"ird\n", (String) null).millis("ms", 1_500L).end().toString();
    assertEquals(byName, byKey);
    assertEquals("x", new JsonObject(byKey).getString("we\"ird\n"));
  }

  @Test
  void aValueWithAnEscapeInTheMiddleKeepsWhatSurroundsIt() {
    assertEquals("{\"v\":\"ab\\tcd\"}", json("v", "ab\tcd"));
    assertEquals("{\"v\":\"abcd\"}", new JsonLine(new StringBuilder()).field("v", new StringBuilder("abcd")).end().toString());
  }

  @Test
  void timestampsAreIsoUtcWithMillisecondsLikeJavaTime() {
    DateTimeFormatter iso = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
    SplittableRandom r = new SplittableRandom(7);
    long[] fixed = {0, 1, 86_399_999, 86_400_000, 951_782_400_000L /* 2000-02-29 */, 4_102_444_799_999L,
        1_709_164_800_000L /* 2024-02-29 */, System.currentTimeMillis()};
    for (long ms : fixed) {
      assertEquals(iso.format(Instant.ofEpochMilli(ms)), timestamp(ms), "at " + ms);
    }
    for (int i = 0; i < 10_000; i++) {
      long ms = r.nextLong(0, 7_258_118_400_000L); // 1970 .. 2200
      assertEquals(iso.format(Instant.ofEpochMilli(ms)), timestamp(ms), "at " + ms);
    }
  }

  private static String timestamp(long ms) {
    StringBuilder sb = new StringBuilder();
    IsoTimestamp.append(sb, ms);
    return sb.toString();
  }
}
