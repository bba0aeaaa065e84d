package dev.citizen.gateway.filter.access;

import dev.citizen.gateway.config.ClientAccessConfig;
import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.filter.Filter;
import dev.citizen.gateway.filter.Next;
import dev.citizen.gateway.filter.Phase;
import dev.citizen.gateway.filter.Response;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bot protection for a route ({@code clients.blockBots}): 403 {@code bot_refused} for a request
 * without a {@code User-Agent} (or an empty one), and for one whose {@code User-Agent} names a
 * known vulnerability scanner or attack tool.
 *
 * <p>Generic HTTP clients (curl, Wget, python-requests, Java, Go, okhttp, Postman) are not on the
 * list: the suite's integrations (lab systems, HL7/FHIR interfaces, billing exports, clinic scripts)
 * use them, and an attacker who changes one string gets past any such list anyway. What the list
 * stops is the noise of off-the-shelf scanners run with their defaults, which is most of it.
 */
public final class BotFilter implements Filter {
  /**
   * Scanners and attack tools that say who they are by default. Fragments, case-insensitive; each
   * is rare enough in a legitimate User-Agent that a match is a tool, not a person (hence "nmap
   * scripting engine" rather than "nmap", which "unmapped" contains).
   */
  static final List<String> KNOWN_TOOLS = List.of(
      "sqlmap", "nikto", "nmap scripting engine", "nmap.org", "masscan", "zgrab", "nuclei", "wpscan", "dirbuster",
      "gobuster", "ffuf", "fuzz faster u fool", "feroxbuster", "wfuzz", "acunetix", "nessus", "openvas", "w3af",
      "havij", "jaeles", "fimap", "arachni", "skipfish", "netsparker", "commix", "xsstrike", "zmeu", "morfeus",
      "whatweb", "joomscan", "droopescan", "sqlninja", "dotdotpwn", "webinspect", "appscan");

  private final UserAgentSignatures signatures;

  BotFilter(UserAgentSignatures signatures) {
    this.signatures = signatures;
  }

  /** The filter for a route's {@code clients}, or empty without {@code blockBots}. */
  public static Optional<Filter> forRoute(ClientAccessConfig clients) {
    if (clients == null || !clients.blockBots()) {
      return Optional.empty();
    }
    List<String> all = new ArrayList<>(KNOWN_TOOLS);
    all.addAll(clients.botUserAgents());
    return Optional.of(new BotFilter(new UserAgentSignatures(all)));
  }

  @Override
  public Future<Response> handle(Exchange exchange, Next next) {
    String reason = refusal(exchange.request().getHeader(HttpHeaders.USER_AGENT));
    return reason == null ? next.handle(exchange)
        : Future.succeededFuture(Response.problem(403, "bot_refused", reason));
  }

  /** Why a request with this User-Agent is refused, or null when it is not. */
  String refusal(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return "a User-Agent header is required";
    }
    return signatures.matches(userAgent) ? "automated scanners are not served" : null;
  }

  @Override
  public Phase phase() {
    return Phase.EDGE;
  }
}
