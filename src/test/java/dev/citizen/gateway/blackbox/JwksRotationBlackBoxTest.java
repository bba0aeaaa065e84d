package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.filter.auth.TestTokens;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JWKS cache against a real identity-provider endpoint: key rotation picked up with one
 * refetch, a flood of made-up key ids that cannot make the gateway hammer the provider, one fetch
 * shared by the requests that wait for it, keys that survive a reload, and a provider that is down.
 */
@Timeout(60)
class JwksRotationBlackBoxTest {
  private static final String AUD = "patients-api";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static String config(int backend, String jwksUrl, String extra) {
    return """
        server: {host: 127.0.0.1, port: 0}
        admin: {host: 127.0.0.1, port: 0}
        security: {autoBan: {enabled: false}}   # many refused tokens from one address (AutoBanBlackBoxTest bans)
        services:
        %s
        routes:
          - id: jwt
            match: {path: /jwt/**}
            service: backend
            auth:
              jwt: {issuer: "%s", audiences: [%s], jwksUrl: "%s"%s}
        """.formatted(TestGateway.service("backend", backend), TestIdp.ISSUER, AUD, jwksUrl, extra);
  }

  private static Map<String, Object> claims() {
    return TestTokens.claims(TestIdp.ISSUER, AUD, "user-7");
  }

  private HttpResponse<String> get(TestGateway t, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(t.url("/jwt/x"))).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> getAsync(TestGateway t, String token) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(t.url("/jwt/x"))).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRotatedKeyPassesAfterOneRefetchAndAFloodOfUnknownKidsIsBounded() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      TestTokens.Signer oldKey = TestTokens.rsa("2024-01");
      TestIdp idp = TestIdp.start(t.backendVertx, oldKey);
      int backend = t.httpBackend(req -> req.response().end("ok"));
      t.startGateway(config(backend, idp.jwksUrl(), ""));
      assertTrue(TestGateway.eventually(5000, () -> idp.fetches.get() == 1));
      assertEquals(200, get(t, oldKey.sign(claims())).statusCode());
      assertEquals(1, idp.fetches.get());

      // The provider starts signing with a new key under a new kid.
      TestTokens.Signer newKey = TestTokens.ec("2024-02");
      idp.publish(oldKey, newKey);
      assertEquals(200, get(t, newKey.sign(claims())).statusCode());
      assertEquals(2, idp.fetches.get(), "one refetch for the new kid");
      assertEquals(200, get(t, newKey.sign(claims())).statusCode());
      assertEquals(2, idp.fetches.get(), "and then it is known");

      // A flood of tokens naming made-up kids, 8 at a time.
      TestTokens.Signer forger = TestTokens.ed25519("x");
      List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        flood.add(getAsync(t, forger.sign(TestTokens.header("EdDSA", "junk-" + i), claims())));
        if (flood.size() % 8 == 0) {
          CompletableFuture.allOf(flood.toArray(new CompletableFuture[0])).get(20, TimeUnit.SECONDS);
        }
      }
      for (var f : flood) {
        assertEquals(401, f.get(20, TimeUnit.SECONDS).statusCode());
      }
      // The last forced refetch (for the new kid) was moments ago: at most one more per 10 s.
      assertTrue(idp.fetches.get() <= 3, "JWKS fetches after the flood: " + idp.fetches.get());
    }
  }

  @Test
  void requestsWaitingForTheFirstFetchShareIt() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      TestTokens.Signer key = TestTokens.ed25519("k1");
      TestIdp idp = TestIdp.start(t.backendVertx, key);
      idp.delayMillis.set(1500); // the provider is slow: the fetch at start is still running
      int backend = t.httpBackend(req -> req.response().end("ok"));
      t.startGateway(config(backend, idp.jwksUrl(), ""));
      List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        waiting.add(getAsync(t, key.sign(claims())));
      }
      for (var f : waiting) {
        assertEquals(200, f.get(20, TimeUnit.SECONDS).statusCode());
      }
      assertEquals(1, idp.fetches.get(), "20 waiting requests, one fetch");
    }
  }

  @Test
  void theKeysSurviveAReload() throws Exception {
    try (TestGateway t = TestGateway.create(); LogCapture reloads = LogCapture.of(
        "dev.citizen.gateway.server.ConfigReloader")) {
      TestTokens.Signer key = TestTokens.ed25519("k1");
      TestIdp idp = TestIdp.start(t.backendVertx, key);
      int backend = t.httpBackend(req -> req.response().end(String.valueOf(req.getHeader("X-Subject"))));
      t.startGateway(config(backend, idp.jwksUrl(), ""));
      assertEquals(200, get(t, key.sign(claims())).statusCode());
      t.rewriteConfig(config(backend, idp.jwksUrl(), ", claimHeaders: {sub: X-Subject}"));
      assertTrue(reloads.await(5000, l -> l.message().startsWith("config reloaded")) != null);
      HttpResponse<String> r = get(t, key.sign(claims()));
      assertEquals("user-7", r.body(), "the new config serves");
      assertEquals(1, idp.fetches.get(), "with the keys fetched before the reload");
    }
  }

  @Test
  void whileTheKeysCannotBeFetchedTheAnswerIs503() throws Exception {
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.response().end("ok"));
      t.startGateway(config(backend, "http://127.0.0.1:" + TestGateway.refusingPort() + "/jwks", ""));
      HttpResponse<String> r = get(t, TestTokens.ed25519("k1").sign(claims()));
      assertEquals(503, r.statusCode(), r.body());
      assertEquals("auth_unavailable", new JsonObject(r.body()).getString("code"));
      assertEquals("10", r.headers().firstValue("Retry-After").orElse(null));
      // No credentials at all is still the client's problem.
      HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(t.url("/jwt/x")))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, none.statusCode());
    }
  }
}
