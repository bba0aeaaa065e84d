package dev.citizen.gateway.config;

import java.util.List;

/**
 * Which clients may use one route: the {@code clients} key. The client is the address the gateway
 * settled on (the peer, or what a trusted proxy forwarded, see {@code security.trustedProxies}).
 *
 * @param allow addresses or CIDRs (IPv4, IPv6); when set, only these get in (default: everyone)
 * @param deny addresses or CIDRs refused; deny wins over allow (default none)
 * @param blockBots refuse requests with no or an empty {@code User-Agent}, and those whose
 *     {@code User-Agent} names a known scanner or attack tool (sqlmap, nikto, nmap, …); ordinary
 *     HTTP libraries (curl, python-requests, Java, Go) pass (default false)
 * @param botUserAgents further {@code User-Agent} fragments to refuse, case-insensitive, on top of
 *     the built-in list (default none; needs {@code blockBots})
 */
public record ClientAccessConfig(List<String> allow, List<String> deny, Boolean blockBots,
    List<String> botUserAgents) {

  public ClientAccessConfig {
    deny = deny == null ? List.of() : deny;
    blockBots = blockBots != null && blockBots;
    botUserAgents = botUserAgents == null ? List.of() : botUserAgents;
  }

  /** Adds an error with its key path for every bad value; {@code path} is this record's own path. */
  public void validate(List<ConfigError> errors, String path) {
    if (allow != null) {
      if (allow.isEmpty()) {
        errors.add(new ConfigError(path + ".allow", "empty (expected: at least one address or CIDR; leave allow "
            + "out to let every client in)"));
      }
      Cidrs.validate(errors, path + ".allow", allow);
    }
    Cidrs.validate(errors, path + ".deny", deny);
    if (!blockBots && !botUserAgents.isEmpty()) {
      errors.add(new ConfigError(path + ".botUserAgents", "set while blockBots is false (expected: blockBots: true)"));
    }
    for (int i = 0; i < botUserAgents.size(); i++) {
      String ua = botUserAgents.get(i);
      if (ua != null && ua.isBlank()) {
        errors.add(new ConfigError(path + ".botUserAgents[" + i + "]", "empty (expected: a User-Agent fragment "
            + "such as \"badbot\")"));
      }
    }
  }
}
