package dev.citizen.gateway.admin;

import dev.citizen.gateway.client.Ban;
import dev.citizen.gateway.client.Bans;
import dev.citizen.gateway.client.IpAddress;
import dev.citizen.gateway.http.Problem;
import dev.citizen.gateway.http.RequestIds;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API for auto-ban's bans:
 *
 * <ul>
 *   <li>{@code GET /admin/bans}: {@code {"bans": [{"address", "since", "until", "failures"}]}},
 *       oldest first, times in ISO-8601 UTC;
 *   <li>{@code DELETE /admin/bans/{address}}: lifts that ban, 204; 404 {@code not_banned} when
 *       there is none, 400 {@code invalid_address} when it is not an IP address. {@code ::1} and
 *       {@code 0:0:0:0:0:0:0:1} name the same address;
 *   <li>{@code DELETE /admin/bans}: lifts every ban, 200 {@code {"lifted": n}}.
 * </ul>
 *
 * Each lift is logged ({@code client_unbanned}, reason {@code lifted}).
 */
final class BansApi {
  static final String PATH = "/admin/bans";
  static final String PREFIX = PATH + "/";

  private static final Logger LOG = LoggerFactory.getLogger(BansApi.class);

  private final Bans bans;

  BansApi(Bans bans) {
    this.bans = bans;
  }

  static boolean handles(String path) {
    return path.equals(PATH) || path.startsWith(PREFIX);
  }

  void handle(HttpServerRequest req) {
    var out = req.response().putHeader("Cache-Control", "no-store");
    if (req.path().equals(PATH)) {
      if (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) {
        bans.list().onComplete(ar -> {
          if (ar.failed()) {
            failed(req, ar.cause());
            return;
          }
          JsonArray list = new JsonArray();
          for (Ban b : ar.result()) {
            list.add(new JsonObject().put("address", b.address()).put("since", Instant.ofEpochMilli(b.since()).toString())
                .put("until", Instant.ofEpochMilli(b.until()).toString()).put("failures", b.failures()));
          }
          out.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(new JsonObject().put("bans", list).encode());
        });
      } else if (req.method() == HttpMethod.DELETE) {
        bans.liftAll().onComplete(ar -> {
          if (ar.failed()) {
            failed(req, ar.cause());
          } else {
            out.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("lifted", ar.result()).encode());
          }
        });
      } else {
        out.putHeader(HttpHeaders.ALLOW, "GET, HEAD, DELETE");
        problem(req, new Problem(405, "method_not_allowed", null));
      }
      return;
    }
    IpAddress address;
    try {
      address = IpAddress.parse(QueryStringDecoder.decodeComponent(req.path().substring(PREFIX.length())));
    } catch (IllegalArgumentException e) { // a malformed %-escape
      address = null;
    }
    if (address == null) {
      problem(req, new Problem(400, "invalid_address", "not an IP address (expected e.g. 192.0.2.7 or 2001:db8::7)"));
      return;
    }
    if (req.method() != HttpMethod.DELETE) {
      out.putHeader(HttpHeaders.ALLOW, "DELETE");
      problem(req, new Problem(405, "method_not_allowed", null));
      return;
    }
    bans.lift(address.toString()).onComplete(ar -> {
      if (ar.failed()) {
        failed(req, ar.cause());
      } else if (ar.result()) {
        out.setStatusCode(204).end();
      } else {
        problem(req, new Problem(404, "not_banned", "this address is not banned"));
      }
    });
  }

  private static void failed(HttpServerRequest req, Throwable cause) {
    LOG.warn("admin: the ban list failed: {}", String.valueOf(cause));
    problem(req, new Problem(503, "bans_unavailable", "the ban list could not be read or changed"));
  }

  private static void problem(HttpServerRequest req, Problem p) {
    String id = RequestIds.newId();
    req.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.CONTENT_TYPE)
        .putHeader("X-Request-Id", id).end(p.toJson(id));
  }
}
