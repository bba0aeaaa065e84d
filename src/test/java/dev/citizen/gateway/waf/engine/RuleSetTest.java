package dev.citizen.gateway.waf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.waf.seclang.SecLangException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rule semantics on small rule sets, with operators whose meaning is not in doubt. */
class RuleSetTest {

  static RuleSet rules(String... lines) {
    List<String> all = new ArrayList<>();
    all.add("SecRuleEngine On");
    all.addAll(List.of(lines));
    return RuleSet.load(all, List.of(), List.of());
  }

  static WafRequest get(String uri, String... headers) {
    return request("GET", uri, null, headers);
  }

  static WafRequest request(String method, String uri, String body, String... headers) {
    List<Map.Entry<String, String>> h = new ArrayList<>();
    h.add(Map.entry("Host", "example.com"));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      h.add(Map.entry(headers[i], headers[i + 1]));
    }
    return new WafRequest(method, uri, "HTTP/1.1", h,
        body == null ? null : body.getBytes(StandardCharsets.ISO_8859_1), false, "10.1.2.3", 5555, 8080);
  }

  static List<Integer> ids(WafOutcome o) {
    return o.matches().stream().map(RuleMatch::id).toList();
  }

  @Test
  void argsFromTheQueryStringAreDecoded() {
    RuleSet rs = rules("SecRule ARGS:q \"@streq a b&c\" \"id:1,phase:1,deny,status:418,msg:'hit %{MATCHED_VAR_NAME}'\"");
    WafOutcome o = rs.evaluate(get("/?q=a+b%26c&x=1"));
    assertTrue(o.disrupted());
    assertEquals(418, o.status());
    assertEquals(1, o.ruleId());
    assertEquals("hit ARGS:q", o.matches().get(0).message());
    assertEquals("ARGS:q", o.matches().get(0).matchedVariable());
    assertEquals("a b&c", o.matches().get(0).matchedData());
  }

  @Test
  void pipelinesThatShareAPrefixEachSeeTheirOwnResult() {
    // An argument keeps each pipeline prefix's result: rule 2 starts from rule 1's first step,
    // rule 5 from rule 1's whole pipeline, rule 3 (another first step) from the value itself. A
    // value over 256 characters takes the transaction's cache instead; both must agree.
    RuleSet rs = rules(
        "SecRule ARGS \"@beginsWith a b\" \"id:1,phase:1,pass,t:none,t:lowercase,t:urlDecode\"",
        "SecRule ARGS \"@beginsWith a+b\" \"id:2,phase:1,pass,t:none,t:lowercase\"",
        "SecRule ARGS \"@beginsWith A b\" \"id:3,phase:1,pass,t:none,t:urlDecode\"",
        "SecRule ARGS \"@beginsWith a+B\" \"id:4,phase:1,pass,t:none,t:lowercase\"",
        "SecRule ARGS \"@beginsWith ab\" \"id:5,phase:1,pass,t:none,t:lowercase,t:urlDecode,t:removeWhitespace\"");
    assertEquals(List.of(1, 2, 3, 5), ids(rs.evaluate(get("/?q=A%2Bb"))));
    assertEquals(List.of(1, 2, 3, 5), ids(rs.evaluate(get("/?q=A%2Bb" + "X".repeat(300)))));
    assertEquals(List.of(), ids(rs.evaluate(get("/?q=B%2Ba"))));
  }

  @Test
  void ruleSetsLoadedWithOneMapShareTheirPatternsAndStillDecideApart() {
    java.util.Map<String, dev.citizen.gateway.waf.operator.Operator> shared = new java.util.concurrent.ConcurrentHashMap<>();
    String rule = "SecRule ARGS \"@rx (?i)drop\\s+table\" \"id:1,phase:1,deny,status:403\"";
    RuleSet blocking = RuleSet.load(List.of("SecRuleEngine On", rule), List.of(), List.of(), shared);
    int compiled = shared.size();
    RuleSet detecting = RuleSet.load(List.of("SecRuleEngine DetectionOnly", rule), List.of(), List.of(), shared);
    assertEquals(1, compiled);
    assertEquals(compiled, shared.size(), "the second rule set compiled its pattern again");
    assertTrue(blocking.phase(1).get(0).operator == detecting.phase(1).get(0).operator);
    assertTrue(blocking.evaluate(get("/?q=DROP%20TABLE%20x")).disrupted());
    WafOutcome detected = detecting.evaluate(get("/?q=DROP%20TABLE%20x"));
    assertFalse(detected.disrupted());
    assertEquals(List.of(1), ids(detected));
    assertEquals(List.of(), ids(detecting.evaluate(get("/?q=table%20drop"))));
  }

  @Test
  void phraseFilesAreSharedByTheirContentAndReadAnewWithEachRuleSet(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path words = dir.resolve("words.data");
    java.nio.file.Files.writeString(words, "# bad words\nalpha\nbravo\n");
    java.util.Map<String, dev.citizen.gateway.waf.operator.Operator> shared = new java.util.concurrent.ConcurrentHashMap<>();
    String rule = "SecRule ARGS \"@pmFromFile " + words + "\" \"id:1,phase:1,deny,status:403\"";
    RuleSet first = RuleSet.load(List.of("SecRuleEngine On", rule), List.of(), List.of(), shared);
    RuleSet second = RuleSet.load(List.of("SecRuleEngine On", rule), List.of(), List.of(), shared);
    assertTrue(first.phase(1).get(0).operator == second.phase(1).get(0).operator);
    java.nio.file.Files.writeString(words, "charlie\n");
    RuleSet edited = RuleSet.load(List.of("SecRuleEngine On", rule), List.of(), List.of(), shared);
    assertFalse(first.phase(1).get(0).operator == edited.phase(1).get(0).operator);
    assertTrue(first.evaluate(get("/?q=xbravox")).disrupted());
    assertFalse(first.evaluate(get("/?q=charlie")).disrupted());
    assertTrue(edited.evaluate(get("/?q=charlie")).disrupted());
    assertFalse(edited.evaluate(get("/?q=bravo")).disrupted());
  }

  @Test
  void aRuleOverAScalarAndArgumentsRunsWhenEitherHoldsItsLiteral() {
    // Such a rule is skipped when no value holds its pattern's literal: the scalar is scanned
    // after the rule's transformations (here only the path without its space holds "evil"), and
    // with multiMatch after every step.
    RuleSet rs = rules(
        "SecRule REQUEST_FILENAME|ARGS \"@rx evil[0-9]\" \"id:1,phase:1,pass,t:none,t:removeWhitespace\"",
        "SecRule REQUEST_FILENAME|ARGS \"@rx ^/bad[0-9]\" \"id:2,phase:1,pass,t:none,t:lowercase,t:urlDecode,multiMatch\"");
    assertEquals(List.of(1), ids(rs.evaluate(get("/files/ev%20il1"))));
    assertEquals(List.of(1), ids(rs.evaluate(get("/files?q=evil2"))));
    assertEquals(List.of(2), ids(rs.evaluate(get("/BAD3"))));
    assertEquals(List.of(2), ids(rs.evaluate(get("/files?q=/bad4"))));
    assertEquals(List.of(), ids(rs.evaluate(get("/files/evil?q=bad5"))));
  }

  @Test
  void unionsBuiltTogetherStillFollowEachRulesOwnPipeline() {
    // After the first request the rule set knows which pipeline prefixes its rules ask of ARGS, and
    // a later request builds all their literal unions in one pass over the values, another rule's
    // transformations standing in for each prefix: every rule must still be skipped or run on
    // its own pipeline's text (only "ev%20il7" url-decoded, then without whitespace, holds "evil7").
    RuleSet rs = rules(
        "SecRule ARGS \"@rx <script\" \"id:1,phase:1,pass,t:none,t:urlDecodeUni\"",
        "SecRule ARGS \"@rx union select\" \"id:2,phase:1,pass,t:none,t:lowercase\"",
        "SecRule ARGS \"@rx evil[0-9]\" \"id:3,phase:1,pass,t:none,t:urlDecodeUni,t:removeWhitespace\"",
        "SecRule ARGS \"@rx plain[0-9]\" \"id:4,phase:1,pass,t:none\"");
    for (int round = 0; round < 2; round++) {
      assertEquals(List.of(), ids(rs.evaluate(get("/?a=1&b=2"))));
      assertEquals(List.of(1), ids(rs.evaluate(get("/?a=%253Cscript&b=x"))));
      assertEquals(List.of(2), ids(rs.evaluate(get("/?a=UNION%20SELECT&b=x"))));
      assertEquals(List.of(3), ids(rs.evaluate(get("/?a=ev%2520il7&b=y"))));
      assertEquals(List.of(4), ids(rs.evaluate(get("/?a=x&b=plain1"))));
      assertEquals(List.of(), ids(rs.evaluate(get("/?a=evil&b=ev%20il&c=plain"))));
    }
  }

  @Test
  void invalidUrlEncodingIsKeptAndFlagged() {
    RuleSet rs = rules(
        "SecRule ARGS:a \"@streq %zz\" \"id:1,phase:1,pass\"",
        "SecRule URLENCODED_ERROR \"@eq 1\" \"id:2,phase:1,pass\"");
    assertEquals(List.of(1, 2), ids(rs.evaluate(get("/?a=%zz"))));
    assertEquals(List.of(), ids(rs.evaluate(get("/?a=ok"))));
  }

  @Test
  void countsAndExclusions() {
    RuleSet rs = rules(
        "SecRule &ARGS \"@eq 3\" \"id:1,phase:1,pass\"",
        "SecRule ARGS|!ARGS:skip \"@streq bad\" \"id:2,phase:1,pass\"",
        "SecRule ARGS|!ARGS:/^ign/ \"@streq worse\" \"id:3,phase:1,pass\"",
        "SecRule &ARGS:missing \"@eq 0\" \"id:4,phase:1,pass\"");
    assertEquals(List.of(1, 4), ids(rs.evaluate(get("/?skip=bad&ignored=worse&IGN2=worse"))));
    assertEquals(List.of(1, 2, 3, 4), ids(rs.evaluate(get("/?x=bad&y=worse&z=1"))));
  }

  @Test
  void keysCompareCaseInsensitively() {
    RuleSet rs = rules("SecRule REQUEST_HEADERS:user-agent \"@streq Nikto\" \"id:1,phase:1,pass\"");
    assertEquals(List.of(1), ids(rs.evaluate(get("/", "User-Agent", "Nikto"))));
  }

  @Test
  void uriVariablesFollowModSecurityV3() {
    RuleSet rs = rules(
        "SecRule REQUEST_FILENAME \"@streq /a b/c.php\" \"id:1,phase:1,pass\"",
        "SecRule REQUEST_BASENAME \"@streq c.php\" \"id:2,phase:1,pass\"",
        "SecRule REQUEST_URI \"@streq /a b/c.php?x=%41\" \"id:3,phase:1,pass\"",
        "SecRule REQUEST_URI_RAW \"@streq /a%20b/c.php?x=%2541\" \"id:4,phase:1,pass\"",
        "SecRule QUERY_STRING \"@streq x=%2541\" \"id:5,phase:1,pass\"",
        "SecRule REQUEST_LINE \"@streq GET /a%20b/c.php?x=%2541 HTTP/1.1\" \"id:6,phase:1,pass\"",
        "SecRule REQUEST_METHOD \"@streq GET\" \"id:7,phase:1,pass\"",
        "SecRule REQUEST_PROTOCOL \"@streq HTTP/1.1\" \"id:8,phase:1,pass\"",
        "SecRule ARGS:x \"@streq %41\" \"id:9,phase:1,pass\"",
        "SecRule REMOTE_ADDR \"@streq 10.1.2.3\" \"id:10,phase:1,pass\"",
        "SecRule SERVER_NAME \"@streq example.com\" \"id:11,phase:1,pass\"");
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
        ids(rs.evaluate(get("/a%20b/c.php?x=%2541"))));
  }

  @Test
  void cookiesAreSplitOnSemicolons() {
    RuleSet rs = rules(
        "SecRule REQUEST_COOKIES:session \"@streq a=b\" \"id:1,phase:1,pass\"",
        "SecRule REQUEST_COOKIES_NAMES \"@streq flag\" \"id:2,phase:1,pass\"",
        "SecRule &REQUEST_COOKIES \"@eq 2\" \"id:3,phase:1,pass\"");
    assertEquals(List.of(1, 2, 3), ids(rs.evaluate(get("/", "Cookie", "session=a=b; ; flag  "))));
  }

  @Test
  void setvarArithmeticAndMacros() {
    RuleSet rs = rules(
        "SecAction \"id:1,phase:1,pass,nolog,setvar:tx.score=5,setvar:tx.name=%{REQUEST_HEADERS.host}\"",
        "SecRule ARGS \"@rx .\" \"id:2,phase:1,pass,nolog,setvar:'tx.score=+%{tx.score}',setvar:tx.gone=1\"",
        "SecAction \"id:3,phase:1,pass,nolog,setvar:tx.score=-1,setvar:!tx.gone\"",
        "SecRule TX:score \"@eq 19\" \"id:4,phase:1,pass,msg:'score %{tx.score} %{TX.NAME} %{rule.id}'\"",
        "SecRule &TX:gone \"@eq 0\" \"id:5,phase:1,pass\"");
    // Two ARGS match rule 2: as in v3, setvar runs once per matched value (5+5=10, +10=20, -1).
    WafOutcome o = rs.evaluate(get("/?a=1&b=2"));
    assertEquals(List.of(4, 5), ids(o));
    assertEquals("score 19 example.com 4", o.matches().get(0).message());
  }

  @Test
  void argumentsWithEqualValuesEachMatchAndEachFail() {
    // Equal values share their transformations and a pattern's failures; a match is never taken
    // from another argument: each matching argument runs the rule's per-match actions and is in
    // MATCHED_VARS, and one failing argument never hides another's match.
    RuleSet rs = rules(
        "SecRule ARGS \"@rx (?i)(evil)\" \"id:1,phase:2,pass,t:none,t:lowercase,capture,"
            + "setvar:tx.hits=+1,setvar:'tx.last=%{tx.1}'\"",
        "SecRule TX:hits \"@eq 3\" \"id:2,phase:2,pass,msg:'%{tx.last}'\"",
        "SecRule ARGS \"@pm fine\" \"id:3,phase:2,pass,t:none,t:lowercase\"",
        "SecRule &MATCHED_VARS \"@eq 2\" \"id:4,phase:2,pass\"");
    WafOutcome o = rs.evaluate(request("POST", "/", "a=EVIL&b=ok&c=EVIL&d=ok&e=evil&f=ok",
        "Content-Type", "application/x-www-form-urlencoded"));
    assertEquals(List.of(1, 2), ids(o));
    assertEquals("evil", o.matches().get(1).message());
    // Both "fine" arguments match rule 3 (two MATCHED_VARS for rule 4), after two that failed it.
    o = rs.evaluate(request("POST", "/", "a=ok&b=fine&c=ok&d=fine",
        "Content-Type", "application/x-www-form-urlencoded"));
    assertEquals(List.of(3, 4), ids(o));
  }

  /** Rules with every kind of remembered verdict, a negated one, and one (negated multiMatch) without. */
  private static final String[] REMEMBERING = {
    "SecRule ARGS \"@rx (?i)evil\" \"id:1,phase:2,pass,t:none,t:lowercase,capture,setvar:tx.hits=+1\"",
    "SecRule ARGS \"@rx evil\" \"id:2,phase:2,pass,t:none,t:urlDecodeUni,t:lowercase,multiMatch\"",
    "SecRule ARGS|ARGS_NAMES \"@detectSQLi\" \"id:3,phase:2,pass,t:none,t:urlDecodeUni,multiMatch\"",
    "SecRule ARGS \"@validateByteRange 32-126\" \"id:4,phase:2,pass,t:none,t:urlDecodeUni\"",
    "SecRule ARGS \"!@rx ^[a-z%0-9' ]+$\" \"id:5,phase:2,pass,t:none,t:urlDecodeUni,multiMatch\"",
    "SecRule ARGS \"@pm attack\" \"id:6,phase:2,pass,t:none,t:lowercase\"",
    "SecRule TX:hits \"@ge 2\" \"id:7,phase:2,pass\"",
    // Negated: a value its pattern failed is one the rule fires on, every time it comes.
    "SecRule ARGS \"!@rx ^[a-z]+$\" \"id:8,phase:2,pass,t:none,t:lowercase\"",
  };

  @Test
  void valuesSeenByEarlierRequestsGiveTheSameOutcomes() {
    // What the rules made of a value is kept across requests (ValueMemoCache): a rule set that has
    // seen the values before must answer every request as a fresh one does, match or not.
    String[] bodies = {
        "a=ok&b=fine&c=ok", "a=EVIL&b=ok", "a=%2565vil&b=ok", "a=ok&b=1' or '1'='1", "a=ok%01&b=ok",
        "a=ok&b=%01", "a=Attack&b=ok&c=EVIL&d=evil", "a=ok&b=fine&c=ok", "1' or '1'='1=x", "a=EVIL&b=ok",
        "a=%2565vil&b=%2565vil", "a=fine", "a=ok%01&b=ok", "a=ATTACK"};
    RuleSet shared = rules(REMEMBERING);
    for (int round = 0; round < 3; round++) {
      for (String body : bodies) {
        WafRequest r = request("POST", "/", body, "Content-Type", "application/x-www-form-urlencoded");
        WafOutcome fresh = rules(REMEMBERING).evaluate(r);
        WafOutcome seen = shared.evaluate(r);
        assertEquals(ids(fresh), ids(seen), "round " + round + ": " + body);
        assertEquals(fresh.matches().stream().map(RuleMatch::matchedData).toList(),
            seen.matches().stream().map(RuleMatch::matchedData).toList(), body);
      }
    }
    // The bodies cover each rule both ways, so the comparison above can fail.
    WafRequest attack = request("POST", "/", "a=%2565vil&b=1' or '1'='1&c=%01&d=Attack&e=EVIL&f=evil",
        "Content-Type", "application/x-www-form-urlencoded");
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), ids(shared.evaluate(attack)));
    assertEquals(List.of(), ids(shared.evaluate(request("POST", "/", "a=ok&b=fine",
        "Content-Type", "application/x-www-form-urlencoded"))));
  }

  /** Rules on scalars (the request line, path, basename, URI), whose short values are remembered too. */
  private static final String[] REMEMBERING_SCALARS = {
    "SecRule REQUEST_FILENAME \"@rx /admin\" \"id:11,phase:1,pass,t:none,t:lowercase\"",
    "SecRule REQUEST_LINE \"!@rx ^(?:GET|POST) /[a-z/]* HTTP/1\\.1$\" \"id:12,phase:1,pass,t:none\"",
    "SecRule REQUEST_BASENAME \"@pm evil\" \"id:13,phase:1,pass,t:none,t:urlDecodeUni,t:lowercase\"",
    "SecRule REQUEST_FILENAME|ARGS \"@rx evil\" \"id:14,phase:2,pass,t:none,t:lowercase,multiMatch\"",
    "SecRule REQUEST_URI \"@validateByteRange 32-126\" \"id:15,phase:1,pass,t:none,t:urlDecodeUni\"",
    "SecRule REQUEST_FILENAME \"@detectSQLi\" \"id:16,phase:1,pass,t:none,t:urlDecodeUni\"",
    // Negated with capture: a match fires nothing but fills TX:0-1, which the next rule reads.
    "SecRule REQUEST_FILENAME \"!@rx ^/(a)/\" \"id:17,phase:1,pass,capture,t:none\"",
    "SecRule TX:1 \"@streq a\" \"id:18,phase:1,pass\"",
  };

  @Test
  void scalarValuesSeenByEarlierRequestsGiveTheSameOutcomes() {
    // A short scalar's memo is its value's, shared with arguments of the same value and kept
    // across requests: the answers must be those of a rule set that never saw a request.
    String[][] requests = {
        {"GET", "/a/b", null}, {"GET", "/admin", null}, {"GET", "/ADMIN/x", null}, {"GET", "/a/EVIL", null},
        {"GET", "/a/%65vil", null}, {"GET", "/a/ok?x=1", null}, {"GET", "/x%01", null}, {"GET", "/a/b", null},
        {"POST", "/a/b", "a=/admin&b=evil"}, {"POST", "/admin", "a=/a/b"}, {"GET", "/1'%20or%20'1'='1", null},
        {"GET", "/a/EVIL", null}, {"POST", "/a/EVIL", "a=/a/EVIL"}, {"GET", "/admin", null}};
    RuleSet shared = rules(REMEMBERING_SCALARS);
    java.util.Set<Integer> fired = new java.util.TreeSet<>();
    for (int round = 0; round < 3; round++) {
      for (String[] q : requests) {
        WafRequest r = q[2] == null ? get(q[1])
            : request(q[0], q[1], q[2], "Content-Type", "application/x-www-form-urlencoded");
        WafOutcome fresh = rules(REMEMBERING_SCALARS).evaluate(r);
        WafOutcome seen = shared.evaluate(r);
        assertEquals(ids(fresh), ids(seen), "round " + round + ": " + String.join(" ", q[0], q[1]));
        assertEquals(fresh.matches().stream().map(RuleMatch::matchedData).toList(),
            seen.matches().stream().map(RuleMatch::matchedData).toList(), q[1]);
        fired.addAll(ids(seen));
      }
    }
    // Each rule fired for some requests and not for others, so the comparison above can fail.
    assertEquals(java.util.Set.of(11, 12, 13, 14, 15, 16, 17, 18), fired);
    assertEquals(List.of(18), ids(shared.evaluate(get("/a/b"))));
  }

  @Test
  void threadsSharingARuleSetGetEveryOutcomeRight() throws Exception {
    // The rule set's memory of values is shared by the worker threads without locks: each thread's
    // outcomes must be those of a rule set that never saw another request.
    String[] bodies = {
        "a=ok&b=fine&c=ok", "a=EVIL&b=ok", "a=%2565vil&b=ok", "a=ok&b=1' or '1'='1", "a=ok%01&b=ok",
        "a=Attack&b=ok&c=EVIL&d=evil", "1' or '1'='1=x", "a=%2565vil&b=%2565vil", "a=fine", "a=ATTACK&b=%01"};
    List<List<Integer>> expected = new ArrayList<>();
    for (String body : bodies) {
      expected.add(ids(rules(REMEMBERING).evaluate(form(body))));
    }
    RuleSet shared = rules(REMEMBERING);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<String>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          java.util.Random random = new java.util.Random(seed);
          for (int i = 0; i < 2_000; i++) {
            int b = random.nextInt(bodies.length);
            List<Integer> got = ids(shared.evaluate(form(bodies[b])));
            if (!got.equals(expected.get(b))) {
              return bodies[b] + ": " + got + " instead of " + expected.get(b);
            }
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<String> r : results) {
        assertEquals(null, r.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static WafRequest form(String body) {
    return request("POST", "/", body, "Content-Type", "application/x-www-form-urlencoded");
  }

  @Test
  void aSearchThatGaveUpIsRunAgainByTheNextRequest() {
    // An abandoned search is no verdict: every request with the value must set
    // TX:MSC_PCRE_LIMITS_EXCEEDED again, not inherit a "no match" from the one before.
    // Cubic on a value that holds the pattern's required "=" only before its first "x": over the
    // step budget, yet short enough to be kept across requests.
    String pathological = "x.*y.*z.*=";
    RuleSet rs = rules(
        "SecRule ARGS \"@rx " + pathological + "\" \"id:1,phase:2,pass,t:none\"",
        "SecRule ARGS \"@rx " + pathological + "\" \"id:2,phase:2,pass,t:none,t:lowercase,multiMatch\"",
        "SecRule TX:MSC_PCRE_LIMITS_EXCEEDED \"@eq 1\" \"id:3,phase:2,pass\"");
    String value = "=" + "xyz".repeat(83);
    assertTrue(value.length() <= ValueMemoCache.MAX_VALUE_CHARS);
    WafRequest r = get("/?q=%3D" + "xyz".repeat(83));
    for (int i = 0; i < 3; i++) {
      assertEquals(List.of(3), ids(rs.evaluate(r)), "request " + i);
    }
  }

  @Test
  void chainsNeedEveryLinkAndReportTheFirstId() {
    RuleSet rs = rules(
        "SecRule ARGS:a \"@streq 1\" \"id:10,phase:1,deny,chain,msg:'both'\"",
        "  SecRule ARGS:b \"@streq 2\" \"setvar:tx.chained=1\"",
        "SecRule TX:chained \"@eq 1\" \"id:11,phase:2,pass\"");
    assertEquals(List.of(), ids(rs.evaluate(get("/?a=1&b=3"))));
    WafOutcome o = rs.evaluate(get("/?a=1&b=2"));
    assertEquals(List.of(10), ids(o));
    assertTrue(o.disrupted());
    assertEquals(403, o.status());
  }

  @Test
  void chainedRuleSeesTheStartersMatchedVar() {
    RuleSet rs = rules(
        "SecRule ARGS \"@rx ^x\" \"id:1,phase:1,pass,chain\"",
        "  SecRule MATCHED_VAR \"@streq xyz\" \"t:none\"");
    assertEquals(List.of(1), ids(rs.evaluate(get("/?p=xyz"))));
    assertEquals(List.of(), ids(rs.evaluate(get("/?p=xy"))));
  }

  @Test
  void detectionOnlyReportsButNeverDisrupts() {
    RuleSet rs = RuleSet.load(List.of("SecRuleEngine DetectionOnly",
        "SecRule ARGS \"@streq evil\" \"id:1,phase:1,deny\"",
        "SecRule ARGS \"@streq evil\" \"id:2,phase:2,deny\""), List.of(), List.of());
    WafOutcome o = rs.evaluate(get("/?x=evil"));
    assertFalse(o.disrupted());
    assertEquals(List.of(1, 2), ids(o));
  }

  @Test
  void engineOffDoesNothing() {
    RuleSet rs = RuleSet.load(List.of("SecRuleEngine Off",
        "SecRule ARGS \"@streq evil\" \"id:1,phase:1,deny\""), List.of(), List.of());
    assertEquals(List.of(), ids(rs.evaluate(get("/?x=evil"))));
  }

  @Test
  void blockUsesTheDefaultActionOfThePhase() {
    RuleSet pass = rules("SecDefaultAction \"phase:2,log,auditlog,pass\"",
        "SecRule ARGS \"@streq evil\" \"id:1,phase:2,block\"");
    assertFalse(pass.evaluate(get("/?x=evil")).disrupted());
    RuleSet deny = rules("SecDefaultAction \"phase:2,log,auditlog,deny,status:406\"",
        "SecRule ARGS \"@streq evil\" \"id:1,phase:2,block\"");
    WafOutcome o = deny.evaluate(get("/?x=evil"));
    assertTrue(o.disrupted());
    assertEquals(406, o.status());
  }

  @Test
  void defaultNologHidesMatchesButStillRunsActions() {
    RuleSet rs = rules("SecDefaultAction \"phase:1,nolog,pass\"",
        "SecRule ARGS \"@streq x\" \"id:1,phase:1,setvar:tx.seen=1\"",
        "SecRule TX:seen \"@eq 1\" \"id:2,phase:1,log\"");
    assertEquals(List.of(2), ids(rs.evaluate(get("/?a=x"))));
  }

  @Test
  void skipAfterLandsOnTheNextMarkerOfThatNameAndCarriesIntoTheNextPhase() {
    RuleSet rs = rules(
        "SecAction \"id:10,phase:2,pass\"",
        "SecMarker EARLY",
        "SecAction \"id:1,phase:1,pass,nolog,skipAfter:M\"",
        "SecAction \"id:2,phase:1,pass\"",
        "SecMarker M",
        "SecAction \"id:3,phase:1,pass\"",
        "SecAction \"id:4,phase:1,pass,skipAfter:M\"",
        "SecAction \"id:5,phase:1,pass\"",
        "SecMarker M",
        "SecAction \"id:6,phase:1,pass,skipAfter:EARLY\"",
        "SecAction \"id:7,phase:1,pass\"",
        "SecAction \"id:8,phase:2,pass\"",
        "SecAction \"id:9,phase:2,pass\"");
    // 4 jumps to the M after it, not the one before; EARLY does not come again in phase 1, so
    // the skip goes on into phase 2 until EARLY there, past 10.
    assertEquals(List.of(3, 4, 6, 8, 9), ids(rs.evaluate(request("POST", "/", "x=1"))));
  }

  @Test
  void fullRequestIsBuiltWhenARuleReadsIt() {
    RuleSet rs = rules("SecRequestBodyAccess On",
        "SecRule FULL_REQUEST \"@rx ^Host: example.com\\n.*\\n\\nx=1$\" \"id:1,phase:2,pass\"",
        "SecRule FULL_REQUEST_LENGTH \"@eq 48\" \"id:2,phase:2,pass\"");
    assertEquals(List.of(1, 2), ids(rs.evaluate(request("POST", "/", "x=1", "Content-Type",
        "text/plain"))));
  }

  @Test
  void skipAfterJumpsToTheMarker() {
    RuleSet rs = rules(
        "SecRule ARGS:go \"@streq 1\" \"id:1,phase:1,pass,nolog,skipAfter:END\"",
        "SecAction \"id:2,phase:1,pass\"",
        "SecMarker END",
        "SecAction \"id:3,phase:1,pass\"");
    assertEquals(List.of(3), ids(rs.evaluate(get("/?go=1"))));
    assertEquals(List.of(2, 3), ids(rs.evaluate(get("/?go=0"))));
  }

  @Test
  void skipSkipsTheNextRules() {
    RuleSet rs = rules(
        "SecAction \"id:1,phase:1,pass,nolog,skip:2\"",
        "SecAction \"id:2,phase:1,pass\"",
        "SecRule ARGS \"@rx .\" \"id:3,phase:1,pass,chain\"",
        "  SecRule ARGS \"@rx .\" \"t:none\"",
        "SecAction \"id:4,phase:1,pass\"");
    assertEquals(List.of(4), ids(rs.evaluate(get("/?a=1"))));
  }

  @Test
  void ctlRemovesRulesAndTargetsForTheRestOfTheTransaction() {
    RuleSet rs = rules(
        "SecRule REQUEST_FILENAME \"@streq /login\" \"id:1,phase:1,pass,nolog,"
            + "ctl:ruleRemoveById=5,ctl:ruleRemoveTargetById=6;ARGS:password,ctl:ruleRemoveByTag=noisy,"
            + "ctl:ruleRemoveTargetByTag=attack;ARGS:/^pw/\"",
        "SecRule ARGS \"@streq x\" \"id:5,phase:2,pass\"",
        "SecRule ARGS \"@streq x\" \"id:6,phase:2,pass\"",
        "SecRule ARGS \"@streq x\" \"id:7,phase:2,pass,tag:'noisy'\"",
        "SecRule ARGS \"@streq x\" \"id:8,phase:2,pass,tag:'attack'\"");
    assertEquals(List.of(8), ids(rs.evaluate(get("/login?password=x"))));
    assertEquals(List.of(6), ids(rs.evaluate(get("/login?pwd=x"))));
    assertEquals(List.of(6, 8), ids(rs.evaluate(get("/login?user=x"))));
    assertEquals(List.of(5, 6, 7, 8), ids(rs.evaluate(get("/other?password=x"))));
  }

  @Test
  void ctlRuleEngineSwitchesModeForTheTransaction() {
    RuleSet rs = rules(
        "SecRule REQUEST_FILENAME \"@streq /quiet\" \"id:1,phase:1,pass,nolog,ctl:ruleEngine=DetectionOnly\"",
        "SecRule ARGS \"@streq evil\" \"id:2,phase:2,deny\"");
    assertFalse(rs.evaluate(get("/quiet?a=evil")).disrupted());
    assertTrue(rs.evaluate(get("/loud?a=evil")).disrupted());
  }

  @Test
  void allowStopsTheRemainingRules() {
    RuleSet rs = rules(
        "SecRule REMOTE_ADDR \"@streq 10.1.2.3\" \"id:1,phase:1,allow,nolog\"",
        "SecRule ARGS \"@streq evil\" \"id:2,phase:1,deny\"",
        "SecRule ARGS \"@streq evil\" \"id:3,phase:2,deny\"");
    WafOutcome o = rs.evaluate(get("/?a=evil"));
    assertFalse(o.disrupted());
    assertEquals(List.of(), ids(o));
    RuleSet phaseOnly = rules(
        "SecRule REMOTE_ADDR \"@streq 10.1.2.3\" \"id:1,phase:1,allow:phase,nolog\"",
        "SecRule ARGS \"@streq evil\" \"id:2,phase:1,deny\"",
        "SecRule ARGS \"@streq evil\" \"id:3,phase:2,deny\"");
    assertEquals(3, phaseOnly.evaluate(get("/?a=evil")).ruleId());
  }

  @Test
  void configExclusionsApplyWhateverTheirOrder() {
    RuleSet rs = RuleSet.load(List.of("SecRuleEngine On", "SecRuleRemoveById 2-3"),
        List.of(), List.of());
    assertEquals(0, rs.ruleCount(1));
    RuleSet after = RuleSet.load(List.of("SecRuleEngine On",
        "SecRule ARGS \"@streq x\" \"id:2,phase:1,pass\"",
        "SecRule ARGS \"@streq x\" \"id:3,phase:1,pass,tag:'t1'\"",
        "SecRule ARGS \"@streq x\" \"id:4,phase:1,pass,tag:'t2'\"",
        "SecRule ARGS \"@streq x\" \"id:5,phase:1,pass\"",
        "SecRule ARGS \"@streq x\" \"id:6,phase:1,pass\""),
        List.of(), List.of("SecRuleRemoveById 2", "SecRuleRemoveByTag t1",
            "SecRuleUpdateTargetById 4 \"!ARGS:a\"", "SecRuleUpdateTargetByTag t2 \"!ARGS:b\"",
            "SecRuleUpdateTargetById 5 \"REQUEST_HEADERS:X-Extra\"",
            "SecRuleUpdateActionById 6 \"deny,status:409\""));
    WafOutcome o = after.evaluate(get("/?a=x&b=x", "X-Extra", "x"));
    assertEquals(List.of(5, 6), ids(o));
    assertEquals(409, o.status());
    assertEquals(List.of(4, 5, 6), ids(after.evaluate(get("/?c=x"))));
  }

  @Test
  void captureFillsTxDigits() {
    RuleSet rs = rules(
        "SecRule ARGS:a \"@rx ^(\\w+)-(\\d+)$\" \"id:1,phase:1,pass,capture,nolog,setvar:tx.got=%{tx.2}/%{TX.1}\"",
        "SecRule TX:got \"@streq 42/abc\" \"id:2,phase:1,pass,logdata:'%{tx.0}'\"");
    WafOutcome o = rs.evaluate(get("/?a=abc-42"));
    assertEquals(List.of(2), ids(o));
    assertEquals("abc-42", o.matches().get(0).logData());
  }

  @Test
  void transformationsApplyInOrderAndNoneClearsDefaults() {
    RuleSet rs = rules(
        "SecDefaultAction \"phase:1,log,pass,t:lowercase\"",
        "SecRule ARGS \"@streq abc\" \"id:1,phase:1\"",
        "SecRule ARGS \"@streq ABC\" \"id:2,phase:1,t:none\"",
        "SecRule ARGS \"@streq 3\" \"id:3,phase:1,t:none,t:length\"");
    assertEquals(List.of(1, 2, 3), ids(rs.evaluate(get("/?a=ABC"))));
  }

  @Test
  void multiMatchTestsEveryStageOfThePipeline() {
    RuleSet rs = rules(
        "SecRule ARGS \"@streq ABC\" \"id:1,phase:1,pass,t:none,t:lowercase\"",
        "SecRule ARGS \"@streq ABC\" \"id:2,phase:1,pass,t:none,t:lowercase,multiMatch\"");
    assertEquals(List.of(2), ids(rs.evaluate(get("/?a=ABC"))));
  }

  @Test
  void negatedOperatorOnAMissingVariableDoesNotMatch() {
    RuleSet rs = rules("SecRule REQUEST_HEADERS:X-Missing \"!@streq a\" \"id:1,phase:1,pass\"",
        "SecRule REQUEST_HEADERS:Host \"!@streq a\" \"id:2,phase:1,pass\"");
    assertEquals(List.of(2), ids(rs.evaluate(get("/"))));
  }

  @Test
  void persistentCollectionsNeedInitcol() {
    RuleSet rs = rules(
        "SecAction \"id:1,phase:1,pass,nolog,setvar:ip.before=1\"",
        // setvar runs before initcol within one rule (v3), so the collection is opened first.
        "SecAction \"id:2,phase:1,pass,nolog,initcol:ip=%{remote_addr}\"",
        "SecAction \"id:5,phase:1,pass,nolog,setvar:ip.hits=+1\"",
        "SecRule IP:hits \"@eq 2\" \"id:3,phase:1,pass\"",
        "SecRule &IP:before \"@eq 0\" \"id:4,phase:1,pass\"");
    assertEquals(List.of(4), ids(rs.evaluate(get("/"))));
    assertEquals(List.of(3, 4), ids(rs.evaluate(get("/"))));
  }

  @Test
  void ruleCollectionAndMatchedVarsAreAvailable() {
    RuleSet rs = rules(
        "SecRule ARGS \"@rx bad\" \"id:1,phase:1,pass,msg:'m1',setvar:'tx.msg=%{rule.msg}',"
            + "logdata:'%{MATCHED_VARS_NAMES}'\"",
        "SecRule TX:msg \"@streq m1\" \"id:2,phase:1,pass\"");
    WafOutcome o = rs.evaluate(get("/?a=bad&b=bad"));
    assertEquals(List.of(1, 2), ids(o));
    assertEquals("ARGS:a", o.matches().get(0).logData());
  }

  @Test
  void badRulesFailToLoadWithTheirLine() {
    SecLangException e = assertThrows(SecLangException.class,
        () -> rules("SecRule NOT_A_VARIABLE \"@rx a\" \"id:1\""));
    assertTrue(e.getMessage().contains("before:2"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown variable NOT_A_VARIABLE"), e.getMessage());
    e = assertThrows(SecLangException.class, () -> rules("SecRule ARGS \"@rx a\" \"id:1,frobnicate\""));
    assertTrue(e.getMessage().contains("unknown action frobnicate"), e.getMessage());
    e = assertThrows(SecLangException.class, () -> rules("SecRule ARGS \"@rx a\" \"id:1,ctl:whatever=1\""));
    assertTrue(e.getMessage().contains("unknown ctl"), e.getMessage());
    e = assertThrows(SecLangException.class, () -> rules("SecRule ARGS \"@rx a\" \"id:1,phase:9\""));
    assertTrue(e.getMessage().contains("phase"), e.getMessage());
    e = assertThrows(SecLangException.class, () -> rules("SecRule ARGS \"@rx a\" \"id:1,severity:'HUGE'\""));
    assertTrue(e.getMessage().contains("severity"), e.getMessage());
  }

  @Test
  void severityNamesAndNumbers() {
    RuleSet rs = rules("SecRule ARGS \"@rx a\" \"id:1,phase:1,pass,severity:2,tag:'x',tag:'y'\"",
        "SecRule ARGS \"@rx a\" \"id:2,phase:1,pass,severity:'WARNING'\"");
    WafOutcome o = rs.evaluate(get("/?q=a"));
    assertEquals("CRITICAL", o.matches().get(0).severity());
    assertEquals(List.of("x", "y"), o.matches().get(0).tags());
    assertEquals("WARNING", o.matches().get(1).severity());
  }
}
