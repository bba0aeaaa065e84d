package dev.citizen.gateway.server;

import dev.citizen.gateway.client.Bans;
import dev.citizen.gateway.client.InMemoryBans;
import dev.citizen.gateway.filter.ratelimit.InMemoryRateLimitStore;
import dev.citizen.gateway.filter.ratelimit.RateLimitStore;
import dev.citizen.gateway.filter.auth.JwksCaches;
import dev.citizen.gateway.filter.waf.WafRuleSets;
import dev.citizen.gateway.filter.waf.WafWorkers;
import io.vertx.core.Vertx;

/**
 * Run-time state of the edge-security filters that outlives a config reload: bans, cached JSON Web
 * Key Sets, rate-limit buckets, compiled WAF rule sets and the WAF's threads. One per gateway,
 * handed from each snapshot to the next, so a reload neither lifts a ban nor refills a bucket.
 */
public final class EdgeState {
  private final Vertx vertx;
  private final Bans bans = new InMemoryBans(System::currentTimeMillis);
  private final RateLimitStore rateLimits = new InMemoryRateLimitStore();
  private final JwksCaches jwks;
  private final WafRuleSets waf;
  private final WafWorkers wafWorkers;

  /** @param vertx for background work such as JWKS fetches; null when only validating a config */
  public EdgeState(Vertx vertx) {
    this(vertx, new WafRuleSets());
  }

  /** With the given WAF rule-set compiler (tests pass one with their own engine). */
  public EdgeState(Vertx vertx, WafRuleSets waf) {
    this.vertx = vertx;
    this.jwks = new JwksCaches(vertx);
    this.waf = waf;
    this.wafWorkers = new WafWorkers(vertx);
  }

  /** The compiled WAF rule sets, by settings, reused by reloads that keep them. */
  public WafRuleSets waf() {
    return waf;
  }

  /** The threads that evaluate request bodies for every WAF route. */
  public WafWorkers wafWorkers() {
    return wafWorkers;
  }

  /** The JWK Sets of the routes' {@code auth.jwt.jwksUrl}s, by URL (auth). */
  public JwksCaches jwks() {
    return jwks;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Banned client addresses (auto-ban), checked before routing. */
  public Bans bans() {
    return bans;
  }

  /** The rate-limit buckets of this gateway process, shared by all event loops. */
  public RateLimitStore rateLimits() {
    return rateLimits;
  }
}
