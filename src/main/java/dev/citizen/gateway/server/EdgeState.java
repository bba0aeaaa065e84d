package dev.citizen.gateway.server;

import dev.citizen.gateway.client.Bans;
import dev.citizen.gateway.client.InMemoryBans;
import dev.citizen.gateway.filter.ratelimit.InMemoryRateLimitStore;
import dev.citizen.gateway.filter.ratelimit.RateLimitStore;
import dev.citizen.gateway.filter.auth.JwksCaches;
import io.vertx.core.Vertx;

/**
 * Run-time state of the edge-security filters that outlives a config reload: bans, cached JSON Web
 * Key Sets, rate-limit buckets. One per gateway, handed from each snapshot to the next, so a reload
 * neither lifts a ban nor refills a bucket.
 */
public final class EdgeState {
  private final Vertx vertx;
  private final Bans bans = new InMemoryBans(System::currentTimeMillis);
  private final RateLimitStore rateLimits = new InMemoryRateLimitStore();
  private final JwksCaches jwks;

  /** @param vertx for background work such as JWKS fetches; null when only validating a config */
  public EdgeState(Vertx vertx) {
    this.vertx = vertx;
    this.jwks = new JwksCaches(vertx);
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
