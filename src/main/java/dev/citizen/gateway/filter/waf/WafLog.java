package dev.citizen.gateway.filter.waf;

import dev.citizen.gateway.accesslog.PhiMasker;
import dev.citizen.gateway.filter.Exchange;
import dev.citizen.gateway.waf.engine.RuleMatch;
import dev.citizen.gateway.waf.engine.WafOutcome;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The WAF's one log line per request in which any rule matched (logger {@code
 * dev.citizen.gateway.waf}): trace and request ids, route, mode, whether it was blocked, the
 * anomaly score when CRS's blocking evaluation reported it, and the matched rules with their
 * messages and a short, masked fragment of what matched. The fragment is what an operator needs
 * to tell an attack from a false positive; more of a request body than that (a patient's note)
 * must not end up in the logs.
 */
final class WafLog {
  static final String LOGGER = "dev.citizen.gateway.waf";
  /** Matched data is cut to this many characters. */
  static final int FRAGMENT = 40;
  /**
   * Messages and matched data are given for this many matches; a request can match dozens of rules
   * at paranoia level 4. Every rule id is listed.
   */
  static final int MAX_MATCHES = 25;
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  /** CRS's 949110: "Inbound Anomaly Score Exceeded (Total Score: 15)". */
  private static final Pattern SCORE = Pattern.compile("Total Score: (\\d+)");

  private WafLog() {}

  static void log(Exchange exchange, boolean blocking, boolean blocked, WafOutcome outcome) {
    List<RuleMatch> matches = outcome.matches();
    StringBuilder ids = new StringBuilder();
    StringBuilder messages = new StringBuilder();
    StringBuilder matched = new StringBuilder();
    Integer score = null;
    for (int i = 0; i < matches.size(); i++) {
      RuleMatch m = matches.get(i);
      ids.append(i == 0 ? "" : ", ").append(m.id());
      if (i >= MAX_MATCHES) {
        continue; // every id, but the texts of the first ones only
      }
      if (m.message() != null && !m.message().isEmpty()) {
        messages.append(messages.length() == 0 ? "" : "; ").append(m.id()).append(' ').append(m.message());
        Integer s = score(m.message());
        score = s != null ? s : score;
      }
      if (m.matchedData() != null && !m.matchedData().isEmpty()) {
        matched.append(matched.length() == 0 ? "" : "; ").append(m.id()).append(' ')
            .append(m.matchedVariable() == null ? "" : m.matchedVariable() + "=").append(fragment(m.matchedData()));
      }
      if (m.logData() != null) {
        Integer s = score(m.logData());
        score = s != null ? s : score;
      }
    }
    for (int i = MAX_MATCHES; i < matches.size(); i++) {
      Integer s = matches.get(i).message() == null ? null : score(matches.get(i).message());
      score = s != null ? s : score;
    }
    if (matches.size() > MAX_MATCHES) {
      messages.append("; … (messages of the first ").append(MAX_MATCHES).append(" rules only)");
    }
    LoggingEventBuilder b = (blocked ? LOG.atWarn() : LOG.atInfo())
        .addKeyValue("traceId", exchange.record().traceId())
        .addKeyValue("requestId", exchange.requestId())
        .addKeyValue("route", exchange.route().id())
        .addKeyValue("mode", blocking ? "block" : "detect")
        .addKeyValue("action", blocked ? "blocked" : "detected");
    if (score != null) {
      b = b.addKeyValue("anomalyScore", score);
    }
    b.addKeyValue("ruleIds", ids.toString())
        .addKeyValue("messages", messages.toString())
        .addKeyValue("matched", matched.toString())
        .log("WAF {} request {}: rules {}", blocked ? "blocked" : "detected", exchange.requestId(), ids);
  }

  /** The start of a matched value, control characters shown as {@code ?}, personal data masked. */
  static String fragment(String data) {
    String cut = data.length() > FRAGMENT ? data.substring(0, FRAGMENT) : data;
    StringBuilder sb = new StringBuilder(cut.length() + 1);
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    String masked = PhiMasker.DEFAULT.mask(sb.toString());
    return data.length() > FRAGMENT ? masked + "…" : masked;
  }

  static Integer score(String text) {
    Matcher m = SCORE.matcher(text);
    return m.find() ? Integer.valueOf(m.group(1)) : null;
  }
}
