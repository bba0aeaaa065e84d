package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Auto-ban over real sockets: three failed logins (a {@code login: true} route whose service
 * answers 401) within the window ban the client on every route, requests that match no route
 * included, until the ban runs out or an operator lifts it; other clients are untouched; a reload
 * keeps bans. Distinct clients come through 127.0.0.1 as a trusted proxy with X-Forwarded-For.
 */
@Timeout(60)
class AutoBanBlackBoxTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String BANS_LOGGER = "dev.citizen.gateway.client.InMemoryBans";

  /** The login service refuses every login; the api service answers 200. */
  private static String config(TestGateway t, String trustedProxies, String banFor, String extraRoute)
      throws Exception {
    int accounts = t.httpBackend(req -> req.response().setStatusCode(401)
        .putHeader("WWW-Authenticate", "Basic realm=\"citizen\"").end("wrong password"));
    int api = t.httpBackend(req -> req.response().end("ok"));
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        services:
        %s%sroutes:
          - {id: login, match: {path: /login, methods: [POST]}, service: accounts, login: true}
          - {id: api, match: {path: /api/**}, service: api}
        %ssecurity:
          trustedProxies: %s
          autoBan: {maxFailures: 3, window: 1m, banFor: %s}
        """.formatted(TestGateway.service("accounts", accounts), TestGateway.service("api", api), extraRoute,
        trustedProxies, banFor);
  }

  private static HttpResponse<String> send(TestGateway t, String method, String path, String xff) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.url(path))).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (xff != null) {
      b.header("X-Forwarded-For", xff);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void failLogins(TestGateway t, String xff, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      assertEquals(401, send(t, "POST", "/login", xff).statusCode(), "the service's own 401 reaches the client");
    }
  }

  private static void assertBanned(HttpResponse<String> r) {
    assertEquals(403, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("client_banned", new JsonObject(r.body()).getString("code"));
  }

  /**
   * The gateway's own 401 (a wrong API key) counts as a failed authentication on any route with
   * {@code auth}, no {@code login} flag needed; a right key passes and does not count.
   */
  @Test
  void wrongApiKeysRefusedByTheGatewayBanToo() throws Exception {
    String key = "lab-import-0123456789abcdef";
    String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(key.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    try (TestGateway t = TestGateway.create()) {
      t.startGateway(config(t, "[127.0.0.1/32]", "10m", """
            - {id: keyed, match: {path: /keyed/**}, service: api,
               auth: {apiKeys: {keys: [{id: lab, sha256: "%s"}]}}}
          """.formatted(hash)));
      String attacker = "203.0.113.21";
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(t.url("/keyed/x")))
            .header("X-Forwarded-For", attacker).header("X-API-Key", "guess-" + i).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), r.body());
      }
      HttpResponse<String> right = HTTP.send(HttpRequest.newBuilder(URI.create(t.url("/keyed/x")))
          .header("X-Forwarded-For", attacker).header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, right.statusCode(), "the right key passes, and a success does not count");
      HttpResponse<String> third = HTTP.send(HttpRequest.newBuilder(URI.create(t.url("/keyed/x")))
          .header("X-Forwarded-For", attacker).header("X-API-Key", "guess-3").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, third.statusCode());
      assertBanned(send(t, "GET", "/api/x", attacker));
      assertEquals(200, send(t, "GET", "/api/x", "203.0.113.22").statusCode(), "another client is not banned");
    }
  }

  @Test
  void threeFailedLoginsBanTheClientEverywhereUntilLifted() throws Exception {
    try (TestGateway t = TestGateway.create(); LogCapture log = LogCapture.of(BANS_LOGGER)) {
      t.startGateway(config(t, "[127.0.0.1/32]", "10m", ""));
      String attacker = "203.0.113.7";
      String other = "203.0.113.8";

      failLogins(t, attacker, 2);
      assertEquals(200, send(t, "GET", "/api/x", attacker).statusCode(), "two failures are not enough");
      long beforeBan = System.currentTimeMillis();
      failLogins(t, attacker, 1);
      long afterBan = System.currentTimeMillis();

      assertBanned(send(t, "GET", "/api/x", attacker));
      assertBanned(send(t, "POST", "/login", attacker));
      assertBanned(send(t, "GET", "/nowhere", attacker)); // no route: still 403, not 404
      assertBanned(send(t, "DELETE", "/api/x", attacker));
      // Another client, behind the same proxy, is untouched; so is the proxy itself.
      assertEquals(200, send(t, "GET", "/api/x", other).statusCode());
      assertEquals(404, send(t, "GET", "/nowhere", other).statusCode());
      assertEquals(200, send(t, "GET", "/api/x", null).statusCode());

      LogCapture.Line banned = log.await(5000, l -> l.message().contains("client " + attacker + " banned"));
      assertNotNull(banned, "a log line says who was banned: " + log.lines);

      JsonArray bans = AdminApi.bans(t.adminPort());
      assertEquals(1, bans.size(), bans::encode);
      JsonObject ban = bans.getJsonObject(0);
      assertEquals(attacker, ban.getString("address"));
      assertEquals(3, ban.getInteger("failures"));
      long since = Instant.parse(ban.getString("since")).toEpochMilli();
      assertTrue(since >= beforeBan && since <= afterBan, ban.encode());
      assertEquals(Duration.ofMinutes(10).toMillis(), Instant.parse(ban.getString("until")).toEpochMilli() - since);

      assertEquals(404, AdminApi.delete(t.adminPort(), "/admin/bans/" + other).statusCode(), "not banned");
      assertEquals(400, AdminApi.delete(t.adminPort(), "/admin/bans/not-an-address").statusCode());
      assertEquals(204, AdminApi.delete(t.adminPort(), "/admin/bans/" + attacker).statusCode());
      assertEquals(200, send(t, "GET", "/api/x", attacker).statusCode(), "lifted");
      assertEquals(0, AdminApi.bans(t.adminPort()).size());
      assertNotNull(log.await(5000, l -> l.message().contains("client " + attacker + " no longer banned (lifted)")),
          log.lines::toString);
      // Counting starts afresh after a lift.
      failLogins(t, attacker, 1);
      assertEquals(200, send(t, "GET", "/api/x", attacker).statusCode());
    }
  }

  @Test
  void theBanRunsOutAfterBanFor() throws Exception {
    try (TestGateway t = TestGateway.create(); LogCapture log = LogCapture.of(BANS_LOGGER)) {
      t.startGateway(config(t, "[127.0.0.1/32]", "1500ms", ""));
      failLogins(t, "198.51.100.20", 3);
      long bannedAt = System.nanoTime();
      assertBanned(send(t, "GET", "/api/x", "198.51.100.20"));
      assertTrue(TestGateway.eventually(10_000,
          () -> status(t, "/api/x", "198.51.100.20") == 200), "the ban ended");
      long tookMillis = (System.nanoTime() - bannedAt) / 1_000_000;
      assertTrue(tookMillis >= 1400, "ended after " + tookMillis + " ms, before banFor");
      assertNotNull(log.await(5000, l -> l.message().contains("client 198.51.100.20 no longer banned (expired)")),
          log.lines::toString);
      assertEquals(0, AdminApi.bans(t.adminPort()).size());
    }
  }

  @Test
  void aReloadKeepsBansAndDeleteLiftsAll() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      String yaml = config(t, "[127.0.0.1/32]", "10m", "");
      t.startGateway(yaml);
      failLogins(t, "203.0.113.30", 3);
      failLogins(t, "2001:db8::30", 3);
      assertBanned(send(t, "GET", "/api/x", "203.0.113.30"));
      assertBanned(send(t, "GET", "/api/x", "2001:db8:0:0::30"));

      t.rewriteConfig(yaml.replace("  - {id: api,", "  - {id: more, match: {path: /more/**}, service: api}\n  - {id: api,"));
      assertTrue(TestGateway.eventually(10_000, () -> status(t, "/more/x", "203.0.113.31") == 200), "reloaded");
      assertBanned(send(t, "GET", "/more/x", "203.0.113.30"));
      assertEquals(2, AdminApi.bans(t.adminPort()).size());

      // The IPv6 ban by another spelling of the address.
      assertEquals(204, AdminApi.delete(t.adminPort(), "/admin/bans/2001:db8::30").statusCode());
      assertEquals(200, send(t, "GET", "/api/x", "2001:db8::30").statusCode());
      failLogins(t, "2001:db8::30", 3);
      HttpResponse<String> all = AdminApi.delete(t.adminPort(), "/admin/bans");
      assertEquals(200, all.statusCode());
      assertEquals(2, new JsonObject(all.body()).getInteger("lifted"));
      assertEquals(200, send(t, "GET", "/api/x", "203.0.113.30").statusCode());
      assertEquals(200, send(t, "GET", "/api/x", "2001:db8::30").statusCode());
    }
  }

  @Test
  void aTrustedProxyIsNeverBannedButASpoofingClientIs() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      // 127.0.0.1 trusted: its own failures (no X-Forwarded-For) never ban it.
      t.startGateway(config(t, "[127.0.0.1/32]", "10m", ""));
      failLogins(t, null, 5);
      assertEquals(200, send(t, "GET", "/api/x", null).statusCode());
      assertEquals(0, AdminApi.bans(t.adminPort()).size());
    }
    try (TestGateway t = TestGateway.create()) {
      // 127.0.0.1 an ordinary client: a new made-up X-Forwarded-For per attempt does not dodge the ban.
      t.startGateway(config(t, "[]", "10m", ""));
      failLogins(t, "198.51.100.1", 1);
      failLogins(t, "198.51.100.2", 1);
      failLogins(t, "198.51.100.3", 1);
      assertBanned(send(t, "GET", "/api/x", "198.51.100.4"));
      assertBanned(send(t, "GET", "/api/x", null));
      JsonArray bans = AdminApi.bans(t.adminPort());
      assertEquals(1, bans.size());
      assertEquals("127.0.0.1", bans.getJsonObject(0).getString("address"));
    }
  }

  private static int status(TestGateway t, String path, String xff) {
    try {
      return send(t, "GET", path, xff).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
