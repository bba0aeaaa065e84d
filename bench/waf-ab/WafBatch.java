package dev.citizen.gateway.filter.waf;

import dev.citizen.gateway.config.WafConfig;
import dev.citizen.gateway.waf.engine.RuleSet;
import dev.citizen.gateway.waf.engine.WafRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One build's side of bench/waf-ab.sh: compiled against that build's classes and loaded by {@code
 * AbDriver} in a class loader of its own, so two builds run in one JVM, one thread. The rule set
 * and requests are those of bench/waf-bench.sh's WAF route: CRS at paranoia level 1 in block
 * mode, the default free-text fields, the same headers; in this package for {@link WafDirectives}.
 */
public final class WafBatch {
  private static final List<byte[]> BODIES = new ArrayList<>();
  private static RuleSet rules;
  private static Random random;
  private static boolean get;

  private WafBatch() {}

  /** {@code bodies}: a .jsonl file (one body a line, picked at random), one body file, or GET. */
  public static void init(String bodies, long seed) throws Exception {
    get = bodies.equals("GET");
    if (get) {
      BODIES.add(new byte[0]);
    } else if (bodies.endsWith(".jsonl")) {
      for (String line : Files.readAllLines(Path.of(bodies))) {
        BODIES.add(line.getBytes(StandardCharsets.UTF_8));
      }
    } else {
      BODIES.add(Files.readAllBytes(Path.of(bodies)));
    }
    WafSettings s = new WafSettings("/usr/share/modsecurity-crs", "/etc/modsecurity/crs/crs-setup.conf", true, 1, 5,
        List.of(), WafConfig.FHIR_FREE_TEXT, true);
    rules = RuleSet.load(WafDirectives.before(s), WafDirectives.files(s), WafDirectives.after(s));
    random = new Random(seed);
  }

  /** Evaluates {@code n} requests; returns how many were refused (a benign corpus: 0). */
  public static int run(int n) {
    int refused = 0;
    for (int i = 0; i < n; i++) {
      if (rules.evaluate(request(i)).disrupted()) {
        refused++;
      }
    }
    return refused;
  }

  private static WafRequest request(int i) {
    int port = 40000 + (i & 1023);
    if (get) {
      return new WafRequest("GET", "/waf/Observation?_count=10", "HTTP/1.1",
          List.of(Map.entry("Host", "api.citizen.example"), Map.entry("User-Agent", "waf-bench/1.0"),
              Map.entry("Accept", "application/fhir+json")), null, false, "127.0.0.1", port, 18502);
    }
    byte[] body = BODIES.get(BODIES.size() == 1 ? 0 : random.nextInt(BODIES.size()));
    return new WafRequest("POST", "/waf/Observation", "HTTP/1.1",
        List.of(Map.entry("Host", "api.citizen.example"), Map.entry("User-Agent", "waf-bench/1.0"),
            Map.entry("Content-Type", "application/fhir+json"),
            Map.entry("Content-Length", Integer.toString(body.length))),
        body, false, "127.0.0.1", port, 18502);
  }
}
