package dev.citizen.gateway.filter.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.citizen.gateway.config.JwtConfig;
import io.vertx.core.Future;
import java.text.ParseException;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Checks one JWT bearer token: JWS only ({@code alg: none} and encrypted tokens do not parse as
 * signed JWTs), an allowed algorithm, no critical header the gateway does not understand, a
 * signature that one of the keys checks, then {@code iss}, {@code aud}, {@code exp} (required) and
 * {@code nbf} within the clock skew. The claims are only read after the signature checked out.
 *
 * <p>Keys come from the route's static keys first, then its JWKS URL; a key id that the fetched
 * set does not have asks the {@link JwksCache} for a newer set once (it throttles).
 */
final class TokenChecker {
  /** Why a token was refused, as the client is told it: short on purpose. The log says more. */
  enum Rejection {
    MALFORMED("malformed token"),
    NOT_ACCEPTED("token not accepted"),
    EXPIRED("token expired"),
    NOT_YET_VALID("token not yet valid"),
    /** No keys can be had (the JWKS was never fetched): not the client's fault, a 503. */
    KEYS_UNAVAILABLE("keys unavailable");

    final String description;

    Rejection(String description) {
      this.description = description;
    }
  }

  /** The outcome: a principal, or a rejection with the detail for the log. */
  record Outcome(Principal principal, Rejection rejection, String detail) {
    static Outcome refused(Rejection r, String detail) {
      return new Outcome(null, r, detail);
    }
  }

  private final String issuer;
  private final Set<String> audiences;
  private final Set<JWSAlgorithm> algorithms;
  private final long skewMillis;
  private final KeySet staticKeys;
  private final JwksCache jwks;
  private final long refreshNanos;
  private final LongSupplier clockMillis;

  /**
   * @param jwks the cache of the route's JWKS URL, or null
   * @param clockMillis wall-clock time in ms ({@link System#currentTimeMillis} but in tests)
   */
  TokenChecker(JwtConfig config, KeySet staticKeys, JwksCache jwks, LongSupplier clockMillis) {
    this.issuer = config.issuer();
    this.audiences = Set.copyOf(config.audiences());
    Set<JWSAlgorithm> algs = new LinkedHashSet<>();
    for (String a : config.algorithms()) {
      algs.add(JWSAlgorithm.parse(a));
    }
    this.algorithms = Set.copyOf(algs);
    this.skewMillis = config.clockSkew().toMillis();
    this.staticKeys = staticKeys;
    this.jwks = jwks;
    this.refreshNanos = config.jwksRefresh().toNanos();
    this.clockMillis = clockMillis;
  }

  /** Checks {@code token}; the future never fails, a refusal is an outcome. */
  Future<Outcome> check(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return refused(Rejection.MALFORMED, "not a signed JWT: " + e.getMessage());
    }
    JWSHeader header = jwt.getHeader();
    JWSAlgorithm alg = header.getAlgorithm();
    if (!algorithms.contains(alg)) {
      return refused(Rejection.NOT_ACCEPTED, "alg " + alg + " is not allowed on this route");
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      return refused(Rejection.NOT_ACCEPTED, "critical header parameters " + header.getCriticalParams());
    }
    if (!header.isBase64URLEncodePayload()) {
      return refused(Rejection.MALFORMED, "unencoded payload (b64: false)");
    }
    String kid = header.getKeyID();
    boolean staticCandidates = !staticKeys.candidates(alg, kid).isEmpty();
    if (staticCandidates && signedBy(jwt, staticKeys, alg, kid)) {
      return Future.succeededFuture(claims(jwt));
    }
    if (jwks == null) {
      return refused(Rejection.NOT_ACCEPTED, staticCandidates ? "signature does not verify"
          : "no key for alg " + alg + (kid == null ? "" : " and kid \"" + kid + "\""));
    }
    return jwks.keys(refreshNanos).compose(set -> {
      if (set == null) {
        return staticCandidates ? refused(Rejection.NOT_ACCEPTED, "signature does not verify")
            : refused(Rejection.KEYS_UNAVAILABLE, "the JWK Set has not been fetched yet");
      }
      if (signedBy(jwt, set, alg, kid)) {
        return Future.succeededFuture(claims(jwt));
      }
      if (kid == null || set.hasKid(kid)) {
        return refused(Rejection.NOT_ACCEPTED, "signature does not verify");
      }
      // A key id the set does not have: the identity provider may have rotated its keys.
      return jwks.refetch(set).map(newer -> newer != null && newer != set && signedBy(jwt, newer, alg, kid)
          ? claims(jwt)
          : Outcome.refused(Rejection.NOT_ACCEPTED, "unknown kid \"" + kid + "\""));
    });
  }

  private static Future<Outcome> refused(Rejection r, String detail) {
    return Future.succeededFuture(Outcome.refused(r, detail));
  }

  private static boolean signedBy(SignedJWT jwt, KeySet keys, JWSAlgorithm alg, String kid) {
    for (VerificationKey k : keys.candidates(alg, kid)) {
      try {
        if (k.verifier().verify(jwt.getHeader(), jwt.getSigningInput(), jwt.getSignature())) {
          return true;
        }
      } catch (JOSEException e) {
        // this key cannot check this token (e.g. a curve mismatch): try the next
      }
    }
    return false;
  }

  /** Checks the claims of a token whose signature checked out. */
  private Outcome claims(SignedJWT jwt) {
    JWTClaimsSet c;
    try {
      c = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return Outcome.refused(Rejection.MALFORMED, "claims: " + e.getMessage());
    }
    if (!issuer.equals(c.getIssuer())) {
      return Outcome.refused(Rejection.NOT_ACCEPTED, "iss " + quote(c.getIssuer()) + " is not the configured issuer");
    }
    List<String> aud = c.getAudience();
    boolean audOk = false;
    for (String a : aud) {
      if (audiences.contains(a)) {
        audOk = true;
        break;
      }
    }
    if (!audOk) {
      return Outcome.refused(Rejection.NOT_ACCEPTED, "aud " + aud + " names none of the accepted audiences");
    }
    Date exp = c.getExpirationTime();
    if (exp == null) {
      return Outcome.refused(Rejection.NOT_ACCEPTED, "no exp claim");
    }
    long now = clockMillis.getAsLong();
    if (now >= exp.getTime() + skewMillis) {
      return Outcome.refused(Rejection.EXPIRED, "expired " + (now - exp.getTime()) / 1000 + " s ago");
    }
    Date nbf = c.getNotBeforeTime();
    if (nbf != null && now < nbf.getTime() - skewMillis) {
      return Outcome.refused(Rejection.NOT_YET_VALID, "not valid for another " + (nbf.getTime() - now) / 1000 + " s");
    }
    return new Outcome(new Principal(c.getSubject(), null, scopes(c), c.getClaims()), null, null);
  }

  /** The granted scopes: {@code scope} (space-separated, RFC 8693) and {@code scp}, as a string or a list. */
  static Set<String> scopes(JWTClaimsSet c) {
    Set<String> out = new LinkedHashSet<>();
    addScopes(out, c.getClaim("scope"));
    addScopes(out, c.getClaim("scp"));
    return Set.copyOf(out);
  }

  private static void addScopes(Set<String> out, Object claim) {
    if (claim instanceof String s) {
      for (String part : s.split(" ")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    } else if (claim instanceof List<?> list) {
      for (Object o : list) {
        addScopes(out, o instanceof String ? o : null);
      }
    }
  }

  /** A token's value for the log: quoted and cut short, since it comes from the client. */
  private static String quote(String s) {
    if (s == null) {
      return "(none)";
    }
    return "\"" + (s.length() > 100 ? s.substring(0, 100) + "..." : s) + "\"";
  }
}
