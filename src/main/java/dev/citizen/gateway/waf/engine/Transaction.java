package dev.citizen.gateway.waf.engine;

import dev.citizen.gateway.waf.operator.LiteralIndex;
import dev.citizen.gateway.waf.operator.OperatorContext;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One request's evaluation, on one thread: the variables ModSecurity v3 fills for a request, the
 * TX and persistent collections, and the rule loop of phases 1 and 2 with skip, skipAfter, allow,
 * runtime ctl exclusions and disruption.
 */
final class Transaction implements OperatorContext, Macro.Resolver, ArgumentSink {

  private record TargetRemoval(long[] ids, String tag, List<Target> targets) {}

  private final RuleSet ruleSet;
  private final WafRequest request;
  private final long startNanos = System.nanoTime();
  private EngineMode mode;

  private static final int ARGS = Target.slotOf("ARGS");
  private static final int ARGS_NAMES = Target.slotOf("ARGS_NAMES");
  private static final int ARGS_GET = Target.slotOf("ARGS_GET");
  private static final int ARGS_GET_NAMES = Target.slotOf("ARGS_GET_NAMES");
  private static final int ARGS_POST = Target.slotOf("ARGS_POST");
  private static final int ARGS_POST_NAMES = Target.slotOf("ARGS_POST_NAMES");
  private static final int REQUEST_HEADERS = Target.slotOf("REQUEST_HEADERS");
  private static final int REQUEST_HEADERS_NAMES = Target.slotOf("REQUEST_HEADERS_NAMES");
  /** An argument's values up to this long are transformed without the cache ({@link #transform}). */
  private static final int DIRECT_TRANSFORM_LIMIT = 256;

  /** The keyed collections (ARGS, REQUEST_HEADERS, ...), at their {@link Target#KEYED} index. */
  private final KeyedValues[] keyed = new KeyedValues[Target.KEYED.size()];
  /** Sized for the ~40 scalars a request sets, so that filling them never rehashes. */
  private final Map<String, String> scalars = new HashMap<>(128);
  /** The body as read, until FULL_REQUEST (which no CRS rule reads) is asked for and built. */
  private String fullRequestBody;
  /**
   * TX, by lower-cased key (keys are case-insensitive; the written key is kept for names). Sized
   * for CRS: ~45 variables by the end of a request, read ~170 and written ~50 times; from the
   * default 16 slots the map grew twice a request, and its chains were longer (GET 0.978).
   */
  private final LinkedHashMap<String, Entry> tx = new LinkedHashMap<>(128);
  /** initcol'd persistent collections by name (IP, GLOBAL, ...). */
  private final Map<String, ConcurrentHashMap<String, PersistentStore.Stored>> persistent = new HashMap<>();
  private XmlBody xml;
  private long argsCombinedSize;
  /** Whether ARGS_COMBINED_SIZE in {@link #scalars} is behind {@link #argsCombinedSize}. */
  private boolean argsCombinedSizeStale;

  // Rule-loop state.
  private String skipMarker;
  private int skipCount;
  private Rule.AllowScope allow;
  private final List<long[]> removedIds = new ArrayList<>();
  private final List<String> removedTags = new ArrayList<>();
  private final List<TargetRemoval> removedTargets = new ArrayList<>();
  private String bodyProcessor;
  /** ctl:forceRequestBodyVariable=On: REQUEST_BODY holds the raw body whatever the processor. */
  private boolean forceRequestBody;
  private Boolean bodyAccess;
  private long bodyLimit;
  private Rule currentRule;
  private String matchedVar;
  private String matchedVarName;
  private final KeyedValues matchedVars = new KeyedValues();
  private final KeyedValues matchedVarsNames = new KeyedValues();
  private String message;
  private String logData;

  private final List<RuleMatch> matches = new ArrayList<>();
  private boolean disrupted;
  private int status;
  private int disruptiveRuleId;

  private final TransformCache transformCache = new TransformCache();
  /** {@link #memoOf}: one per distinct value of the keyed collections. */
  private final MemoTable memos = new MemoTable();
  private final LiteralIndex literals;
  /** While an operator runs: whether its required literal was already found in the input. */
  private boolean literalFound;
  /** Whether the operator that ran last gave up at a search limit ({@link #limitsExceeded}). */
  private boolean limitsExceeded;
  /** Scratch lists, reused: a rule's target values; a count's values; a macro's values. */
  private final List<Entry> valueBuffer = new ArrayList<>();
  private final List<Entry> countBuffer = new ArrayList<>();
  private final List<Entry> firstBuffer = new ArrayList<>();
  /** The union of an empty selection (never written). */
  private final long[] noHits;
  /** {@link #selectionHits}: per selection and pipeline prefix, valid with its selectionValues. */
  private final long[][][] selectionHits;
  /** {@link #selectionValues}: per selection, and the collection size it was for. */
  private final List<Entry>[] selectionValues;
  private final int[] selectionValuesSize;
  /** {@link #selectionHits}: the prefixes whose unions one pass builds. */
  private final int[] prefixScratch;
  private final Rule[] prefixRulesScratch;
  private final int[] prefixStepsScratch;
  /** {@link #scalarHits}: the scalar texts scanned, by identity, and their bits. */
  private String[] scalarTexts = new String[16];
  private long[][] scalarTextHits = new long[16][];
  private int scalarTextCount;

  Transaction(RuleSet ruleSet, WafRequest request) {
    this.ruleSet = ruleSet;
    this.request = request;
    this.mode = ruleSet.mode();
    this.bodyLimit = ruleSet.config().requestBodyLimit;
    this.literals = ruleSet.literals();
    this.selectionHits = new long[ruleSet.selectionCount()][][];
    this.noHits = new long[literals.words()];
    @SuppressWarnings("unchecked")
    List<Entry>[] lists = new List[ruleSet.selectionCount()];
    this.selectionValues = lists;
    this.selectionValuesSize = new int[ruleSet.selectionCount()];
    this.prefixScratch = new int[ruleSet.pipelineCount()];
    this.prefixRulesScratch = new Rule[ruleSet.pipelineCount()];
    this.prefixStepsScratch = new int[ruleSet.pipelineCount()];
    for (int i = 0; i < keyed.length; i++) {
      keyed[i] = new KeyedValues(this::memoOf);
    }
  }

  WafOutcome run() {
    if (mode == EngineMode.OFF) {
      return new WafOutcome(List.of(), false, 0, 0);
    }
    connection();
    uri();
    headers();
    runPhase(1);
    if (!disrupted && mode != EngineMode.OFF) {
      body();
      if (!disrupted) {
        runPhase(2);
      }
    }
    // What the rules made of this request's values is the next request's head start.
    ValueMemoCache cache = ruleSet.valueMemos();
    for (ValueMemo memo : memos.slots()) {
      if (memo != null) {
        cache.keep(memo);
      }
    }
    return new WafOutcome(List.copyOf(matches), disrupted, disrupted ? status : 0,
        disrupted ? disruptiveRuleId : 0);
  }

  /**
   * The work on {@code value} shared by this transaction's arguments, headers and cookies,
   * starting from what earlier transactions left in the rule set's {@link ValueMemoCache}.
   */
  ValueMemo memoOf(String value) {
    ValueMemo memo = memos.get(value);
    if (memo == null) {
      memo = ruleSet.valueMemos().memoFor(value);
      memos.add(memo);
    }
    return memo;
  }

  // ---------------------------------------------------------------- request variables

  private void connection() {
    String addr = request.remoteAddress() == null ? "" : request.remoteAddress();
    scalars.put("REMOTE_ADDR", addr);
    scalars.put("REMOTE_HOST", addr);
    scalars.put("REMOTE_PORT", Integer.toString(request.remotePort()));
    scalars.put("SERVER_PORT", Integer.toString(request.serverPort()));
    scalars.put("SERVER_ADDR", "");
    scalars.put("UNIQUE_ID", uniqueId());
    scalars.put("URLENCODED_ERROR", "0");
  }

  private static String uniqueId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toString(System.currentTimeMillis(), 10) + "." + Long.toString(Math.abs(r.nextLong()) % 1_000_000_000L);
  }

  private void uri() {
    String method = request.method();
    String uri = request.uri() == null ? "" : request.uri();
    String protocol = request.protocol() == null ? "HTTP/1.1" : request.protocol();
    scalars.put("REQUEST_METHOD", method);
    scalars.put("REQUEST_PROTOCOL", protocol);
    scalars.put("REQUEST_LINE", method + " " + uri + " " + protocol);
    String decoded = UrlCodec.uriDecode(uri);
    int qDecoded = decoded.indexOf('?');
    int qRaw = uri.indexOf('?');
    if (qRaw >= 0) {
      scalars.put("QUERY_STRING", uri.substring(qRaw + 1));
    }
    String path = qDecoded < 0 ? decoded : decoded.substring(0, qDecoded);
    scalars.put("REQUEST_FILENAME", path);
    scalars.put("PATH_INFO", path);
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    // Empty for a path ending in '/' ("/" included), as ModSecurity sets it: the variable exists,
    // so a negated operator on it (920200's chained "!@endsWith .pdf") still matches.
    scalars.put("REQUEST_BASENAME", path.substring(slash + 1));
    // An absolute-form target (http://host/path) is reduced to its path, as in v3.
    String parsed = decoded;
    if (!decoded.isEmpty() && decoded.charAt(0) != '/') {
      int scheme = decoded.indexOf(':');
      if (scheme >= 0 && decoded.startsWith("//", scheme + 1)) {
        int p = decoded.indexOf('/', scheme + 3);
        if (p >= 0) {
          parsed = decoded.substring(p);
        }
      }
    }
    scalars.put("REQUEST_URI", parsed);
    scalars.put("REQUEST_URI_RAW", uri);
    String query = scalars.get("QUERY_STRING");
    if (query != null && !query.isEmpty()) {
      if (FormParser.parse(query, ruleSet.config().argumentSeparator, "GET", this)) {
        scalars.put("URLENCODED_ERROR", "1");
      }
    }
  }

  private void headers() {
    KeyedValues h = keyed[REQUEST_HEADERS];
    KeyedValues names = keyed[REQUEST_HEADERS_NAMES];
    int length = 0;
    for (Map.Entry<String, String> e : request.headers()) {
      String key = e.getKey();
      String value = e.getValue() == null ? "" : e.getValue();
      names.add(key, key);
      h.add(key, value);
      length += key.length() + value.length() + 4;
      String lower = key.toLowerCase(Locale.ROOT);
      switch (lower) {
        case "authorization" -> {
          int sp = value.indexOf(' ');
          scalars.put("AUTH_TYPE", sp < 0 ? value : value.substring(0, sp));
        }
        case "cookie" -> cookies(value);
        case "content-type" -> {
          String l = value.toLowerCase(Locale.ROOT);
          if (l.startsWith("multipart/form-data")) {
            scalars.put("REQBODY_PROCESSOR", "MULTIPART");
          }
          if (l.startsWith("application/x-www-form-urlencoded")) {
            scalars.put("REQBODY_PROCESSOR", "URLENCODED");
          }
        }
        case "host" -> {
          int colon = value.indexOf(':');
          scalars.put("SERVER_NAME", colon < 0 ? value : value.substring(0, colon));
        }
        default -> { }
      }
    }
    scalars.put("REQUEST_HEADERS_LENGTH", Integer.toString(length));
  }

  /** v3's cookie parser: split on ';', then at the first '='; keys left-trimmed, empty keys skipped. */
  private void cookies(String header) {
    KeyedValues cookies = keyed("REQUEST_COOKIES");
    KeyedValues names = keyed("REQUEST_COOKIES_NAMES");
    List<String> pieces = split(header, ';');
    if (!pieces.isEmpty()) {
      String last = pieces.get(pieces.size() - 1);
      int end = last.length();
      while (end > 0 && Character.isWhitespace(last.charAt(end - 1))) {
        end--;
      }
      pieces.set(pieces.size() - 1, last.substring(0, end));
    }
    for (String c : pieces) {
      if (c.isEmpty()) {
        continue;
      }
      int eq = c.indexOf('=');
      String key = eq < 0 ? c : c.substring(0, eq);
      String value = eq < 0 ? "" : c.substring(eq + 1);
      int s = 0;
      while (s < key.length() && Character.isWhitespace(key.charAt(s))) {
        s++;
      }
      key = key.substring(s);
      if (key.isEmpty()) {
        continue;
      }
      names.add(key, key);
      cookies.add(key, value);
    }
  }

  /** std::getline splitting: empty pieces kept, no trailing empty piece. */
  private static List<String> split(String s, char sep) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < s.length()) {
      int end = s.indexOf(sep, start);
      if (end < 0) {
        end = s.length();
      }
      out.add(s.substring(start, end));
      start = end + 1;
    }
    return out;
  }

  @Override
  public void addArgument(String origin, String name, String value) {
    int limit = ruleSet.config().argumentsLimit;
    KeyedValues args = keyed[ARGS];
    if (limit > 0 && args.size() >= limit) {
      return;
    }
    // One entry for ARGS and ARGS_GET or ARGS_POST: the same key and value, and so the same work.
    Entry arg = args.add(name, value);
    Entry argName = keyed[ARGS_NAMES].add(name, name);
    if (origin.equals("GET")) {
      keyed[ARGS_GET].add(arg);
      keyed[ARGS_GET_NAMES].add(argName);
    } else if (origin.equals("POST")) {
      keyed[ARGS_POST].add(arg);
      keyed[ARGS_POST_NAMES].add(argName);
    }
    argsCombinedSize += name.length() + value.length();
    argsCombinedSizeStale = true;
  }

  private void body() {
    scalars.putIfAbsent("INBOUND_DATA_ERROR", "0");
    byte[] raw = request.body();
    String body = raw == null ? "" : new String(raw, StandardCharsets.ISO_8859_1);
    if (request.bodyTruncated()) {
      scalars.put("INBOUND_DATA_ERROR", "1");
    }
    String processor = bodyProcessor;
    if (processor == null) {
      processor = scalars.get("REQBODY_PROCESSOR");
    }
    long limit = processor != null && processor.equals("MULTIPART") ? bodyLimit
        : Math.min(bodyLimit, ruleSet.config().requestBodyNoFilesLimit);
    if (limit > 0 && body.length() > limit) {
      scalars.put("INBOUND_DATA_ERROR", "1");
      if (ruleSet.config().requestBodyLimitAction.equals("ProcessPartial")) {
        body = body.substring(0, (int) limit);
      } else if (mode == EngineMode.ON) {
        disrupted = true;
        status = 413;
        disruptiveRuleId = 0;
        return;
      }
    }
    boolean access = bodyAccess != null ? bodyAccess : ruleSet.config().requestBodyAccess;
    if (!access) {
      return;
    }
    scalars.put("REQBODY_ERROR", "0");
    scalars.put("REQBODY_PROCESSOR_ERROR", "0");
    if (processor != null) {
      switch (processor) {
        case "XML" -> {
          try {
            xml = XmlBody.parse(body);
          } catch (Exception e) {
            bodyError("XML parsing error: " + e.getMessage());
          }
        }
        case "JSON" -> {
          reserveBodyArguments(body);
          try {
            JsonBodyParser.parse(body, this);
          } catch (JsonBodyParser.JsonException e) {
            if (!body.isEmpty()) {
              bodyError("JSON parsing error: " + e.getMessage());
            }
          }
        }
        case "MULTIPART" -> multipart(body);
        case "URLENCODED" -> {
          reserveBodyArguments(body);
          if (FormParser.parse(body, ruleSet.config().argumentSeparator, "POST", this)) {
            scalars.put("URLENCODED_ERROR", "1");
          }
        }
        default -> bodyError("Unknown request body processor: " + processor);
      }
    }
    fullRequestBody = body;
    if (!body.isEmpty()) {
      // As ModSecurity v2 has it (its msc_reqbody.c): a body that the XML, JSON or multipart
      // processor parsed is not also REQUEST_BODY, unless ctl:forceRequestBodyVariable says so; a
      // URL-encoded body, or one no processor took, is. libmodsecurity v3 fills it for every
      // body; CRS 3.3's own tests expect v2 (an XML element named java.lang.Runtime must not trip
      // 944100, whose targets include REQUEST_BODY).
      if (processor == null || "URLENCODED".equals(processor) || forceRequestBody) {
        scalars.put("REQUEST_BODY", body);
      }
      scalars.put("REQUEST_BODY_LENGTH", Integer.toString(body.length()));
    }
  }

  /**
   * Room for a JSON or form body's arguments up front (a 2 KiB JSON body has ~100, a field every
   * ~16 bytes): from the default ten, each of the four lists grew and copied itself seven times.
   */
  private void reserveBodyArguments(String body) {
    int expected = Math.min(1024, body.length() / 16);
    keyed[ARGS].reserve(expected);
    keyed[ARGS_NAMES].reserve(expected);
    keyed[ARGS_POST].reserve(expected);
    keyed[ARGS_POST_NAMES].reserve(expected);
  }

  /** A scalar's value, or null; FULL_REQUEST is built on first use. */
  private String scalar(String name) {
    if (argsCombinedSizeStale && name.equals("ARGS_COMBINED_SIZE")) {
      // Written when asked, not once per argument (a JSON body adds dozens).
      scalars.put("ARGS_COMBINED_SIZE", Long.toString(argsCombinedSize));
      argsCombinedSizeStale = false;
    }
    String v = scalars.get(name);
    if (v == null && fullRequestBody != null
        && (name.equals("FULL_REQUEST") || name.equals("FULL_REQUEST_LENGTH"))) {
      StringBuilder full = new StringBuilder();
      for (Entry h : keyed[REQUEST_HEADERS].all()) {
        full.append(h.key()).append(": ").append(h.value()).append('\n');
      }
      full.append("\n\n").append(fullRequestBody);
      fullRequestBody = null;
      scalars.put("FULL_REQUEST", full.toString());
      scalars.put("FULL_REQUEST_LENGTH", Integer.toString(full.length()));
      v = scalars.get(name);
    }
    return v;
  }

  private void bodyError(String msg) {
    scalars.put("REQBODY_ERROR", "1");
    scalars.put("REQBODY_PROCESSOR_ERROR", "1");
    scalars.put("REQBODY_ERROR_MSG", msg);
    scalars.put("REQBODY_PROCESSOR_ERROR_MSG", msg);
  }

  private void multipart(String body) {
    String contentType = keyed[REQUEST_HEADERS].first("Content-Type");
    MultipartBody m = MultipartBody.parse(contentType, body, 100);
    long combined = 0;
    for (MultipartBody.Part p : m.parts) {
      if (p.filename() != null) {
        keyed("FILES").add(p.name(), p.filename());
        keyed("FILES_NAMES").add(p.name(), p.name());
        keyed("FILES_SIZES").add(p.name(), Integer.toString(p.value().length()));
        keyed("FILES_TMP_CONTENT").add(p.name(), p.value());
        keyed("FILES_TMPNAMES").add(p.name(), "");
        combined += p.value().length();
        scalars.put("MULTIPART_FILENAME", p.filename());
      } else {
        addArgument("POST", p.name(), p.value());
      }
      scalars.put("MULTIPART_NAME", p.name());
      for (String line : p.headerLines()) {
        keyed("MULTIPART_PART_HEADERS").add(p.name(), line);
      }
    }
    scalars.put("FILES_COMBINED_SIZE", Long.toString(combined));
    if (m.error != null) {
      bodyError("Multipart parsing error: " + m.error);
    }
    flag("MULTIPART_BOUNDARY_QUOTED", m.boundaryQuoted);
    flag("MULTIPART_BOUNDARY_WHITESPACE", m.boundaryWhitespace);
    flag("MULTIPART_DATA_BEFORE", m.dataBefore);
    flag("MULTIPART_DATA_AFTER", m.dataAfter);
    flag("MULTIPART_HEADER_FOLDING", m.headerFolding);
    flag("MULTIPART_LF_LINE", m.lfLine);
    flag("MULTIPART_CRLF_LF_LINES", m.lfLine && m.crlfLine);
    flag("MULTIPART_MISSING_SEMICOLON", m.missingSemicolon);
    flag("MULTIPART_INVALID_QUOTING", m.invalidQuoting);
    flag("MULTIPART_INVALID_PART", m.invalidPart);
    flag("MULTIPART_INVALID_HEADER_FOLDING", m.invalidHeaderFolding);
    flag("MULTIPART_FILE_LIMIT_EXCEEDED", m.fileLimitExceeded);
    flag("MULTIPART_UNMATCHED_BOUNDARY", m.unmatchedBoundary);
    flag("MULTIPART_STRICT_ERROR", m.strictError());
  }

  private KeyedValues keyed(String name) {
    return keyed[Target.slotOf(name)];
  }

  private void flag(String name, boolean value) {
    scalars.put(name, value ? "1" : "0");
  }

  // ---------------------------------------------------------------- rule loop

  private void runPhase(int phase) {
    Rule[] rules = ruleSet.phaseArray(phase);
    // A skipAfter whose marker did not come in the previous phase goes on skipping in this one.
    int i = skipMarker == null ? 0 : afterMarker(phase, 0, rules.length);
    for (; i < rules.length; i++) {
      Rule rule = rules[i];
      if (rule.isMarker()) {
        continue;
      }
      if (allow != null || mode == EngineMode.OFF) {
        break;
      }
      if (skipCount > 0) {
        skipCount--;
        continue;
      }
      if (removedAtRuntime(rule)) {
        continue;
      }
      message = null;
      logData = null;
      if (evaluate(rule)) {
        if (rule.log) {
          matches.add(new RuleMatch(rule.id, message, logData, rule.severity, rule.tags,
              matchedVarName, matchedVar));
        }
        disrupt(rule);
        if (disrupted) {
          return;
        }
      }
      if (skipMarker != null) {
        // Jump straight past the marker (the loop's i++ steps over it); CRS skips whole paranoia
        // level blocks this way, hundreds of rules at a time. The rule's own skipAfter landing
        // was found at load.
        if (skipMarker == rule.skipAfterMarker) {
          skipMarker = null;
          i = rule.skipAfterLanding - 1;
        } else {
          i = afterMarker(phase, i + 1, rules.length) - 1;
        }
      }
    }
    if (allow == Rule.AllowScope.PHASE) {
      allow = null;
    }
  }

  /**
   * Where the rule loop goes on after skipping to {@link #skipMarker} from index {@code from}: just
   * past the marker, which ends the skip; or the end of the phase, the skip still on, when the
   * marker does not come in this phase.
   */
  private int afterMarker(int phase, int from, int end) {
    int at = ruleSet.nextMarker(phase, skipMarker, from);
    if (at < 0) {
      return end;
    }
    skipMarker = null;
    return at + 1;
  }

  private boolean removedAtRuntime(Rule rule) {
    // Indexed loops: called for every rule, and the iterators showed up among the allocations.
    for (int i = 0; i < removedIds.size(); i++) {
      long[] r = removedIds.get(i);
      if (rule.id >= r[0] && rule.id <= r[1]) {
        return true;
      }
    }
    for (int i = 0; i < removedTags.size(); i++) {
      if (rule.hasTag(removedTags.get(i))) {
        return true;
      }
    }
    return false;
  }

  private void disrupt(Rule rule) {
    if (mode != EngineMode.ON) {
      return;
    }
    switch (rule.disruptive) {
      case DENY, DROP -> {
        disrupted = true;
        status = rule.status > 0 ? rule.status : 403;
        disruptiveRuleId = rule.id;
      }
      case REDIRECT -> {
        disrupted = true;
        status = rule.status >= 300 && rule.status < 400 ? rule.status : 302;
        disruptiveRuleId = rule.id;
      }
      case ALLOW -> allow = rule.allowScope;
      default -> { }
    }
  }

  /** One rule of a chain: true when it and the rest of its chain match. */
  private boolean evaluate(Rule rule) {
    currentRule = rule;
    if (rule.operator == null) {
      runPerMatch(rule);
      return afterMatch(rule);
    }
    if (rule.skippableByLiterals && !literalInTargets(rule)) {
      noMatch();
      return false;
    }
    boolean any = false;
    // One buffer serves every rule: a chain's next link is evaluated only after this loop, and
    // what the loop calls (operators, actions, macros) never gathers values into it.
    List<Entry> values = valueBuffer;
    Target[] targets = rule.targetArray;
    for (int ti = 0; ti < targets.length; ti++) {
      Target target = targets[ti];
      if (rule.skippableByLiterals && !rule.multiMatch && target.kind == Target.Kind.KEYED) {
        any |= testSelection(rule, ti);
        continue;
      }
      values.clear();
      resolve(target, values);
      Target[] exclusions = rule.exclusionsByTarget[ti];
      boolean mayExclude = !target.counted && (exclusions.length > 0 || !removedTargets.isEmpty());
      // A value whose memo says the operator failed it already (or, for a negated rule, matched
      // it) is passed over before its exclusions and transformations are looked up (test would
      // answer no at the memo): the rules that walk every value (libinjection, byte ranges) meet
      // mostly such values.
      boolean verdicts = rule.skipsRememberedFailures();
      boolean passes = rule.skipsRememberedMatches();
      for (int vi = 0; vi < values.size(); vi++) {
        Entry e = values.get(vi);
        if (verdicts && e.shared() && e.memo().missed(rule.verdictSlot)) {
          continue;
        }
        if (passes && e.shared() && e.memo().matchedBefore(rule.verdictSlot)) {
          continue;
        }
        if (mayExclude && excluded(rule, exclusions, target.name, e)) {
          continue;
        }
        String value = e.value();
        if (rule.transformations.length == 0) {
          any |= test(rule, target, e, value, hits(rule, e, 0, value));
        } else if (!rule.multiMatch) {
          int steps = rule.transformations.length;
          String t = transform(rule, e, steps);
          any |= test(rule, target, e, t, hits(rule, e, rule.pipelineIds[steps - 1], t));
        } else {
          any |= testEachStep(rule, target, e);
        }
      }
    }
    if (!any) {
      noMatch();
      return false;
    }
    if (rule.chained != null && !evaluate(rule.chained)) {
      return false;
    }
    currentRule = rule;
    return afterMatch(rule);
  }

  /**
   * multiMatch: the value itself, then each step's result that differs from the one before. The
   * value's memo remembers a rule whose operator failed at every step (the steps' texts follow
   * from the value), unless a search gave up on one of them.
   */
  private boolean testEachStep(Rule rule, Target target, Entry e) {
    ValueMemo memo = rule.verdictSlot >= 0 && e.shared() ? e.memo() : null;
    if (memo != null && memo.missed(rule.verdictSlot)) {
      return false;
    }
    String value = e.value();
    boolean any = test(rule, target, e, value, hits(rule, e, 0, value));
    boolean gaveUp = limitsExceeded;
    String previous = value;
    for (int i = 1; i <= rule.transformations.length; i++) {
      String t = transform(rule, e, i);
      if (!t.equals(previous)) {
        any |= test(rule, target, e, t, hits(rule, e, rule.pipelineIds[i - 1], t));
        gaveUp |= limitsExceeded;
      }
      previous = t;
    }
    if (!any && memo != null && !gaveUp) {
      memo.miss(rule.verdictSlot, ruleSet.verdictCount());
    }
    return any;
  }

  /** What a rule that did not match leaves behind: no MATCHED_VAR(S). */
  private void noMatch() {
    matchedVar = null;
    matchedVarName = null;
    matchedVars.all().clear();
    matchedVarsNames.all().clear();
  }

  /**
   * Whether any value the rule's selectors yield holds, after the rule's transformations, one of
   * its pattern's required literals (XML: whether there is an XML body at all). When none does,
   * the rule cannot match, and its values need not be walked one by one: ~150 rules over ~75
   * JSON values made some 4,000 such value-by-value checks a request, nearly all for rules whose
   * literal was nowhere in the request.
   */
  private boolean literalInTargets(Rule rule) {
    Target[] targets = rule.targetArray;
    // A multiMatch rule tests the value and every step's result, so every prefix counts.
    int first = rule.multiMatch ? 0 : rule.transformations.length;
    for (int t = 0; t < targets.length; t++) {
      if (targets[t].kind == Target.Kind.XML) {
        if (xml != null) {
          return true;
        }
        continue;
      }
      if (targets[t].kind == Target.Kind.SCALAR) {
        if (scalarHasLiteral(rule, targets[t], first)) {
          return true;
        }
        continue;
      }
      for (int steps = first; steps <= rule.transformations.length; steps++) {
        if (LiteralIndex.has(selectionHits(rule, t, steps), rule.literalSlot)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the scalar {@code target} (REQUEST_FILENAME, ...) holds one of the rule's literals
   * after pipeline prefix {@code first} or any longer one. The rule's exclusions and runtime
   * target removals are not applied: they only take the value away, so at worst the rule runs.
   */
  private boolean scalarHasLiteral(Rule rule, Target target, int first) {
    String value = scalar(target.name);
    if (value == null) {
      return false;
    }
    // A short scalar's bits stay in its value's memo, for later requests too; a long one's (the
    // body) in the transaction's own list. transform() picks the matching cache itself.
    Entry e = scalarEntry(value);
    for (int steps = first; steps <= rule.transformations.length; steps++) {
      String text = steps == 0 ? value : transform(rule, e, steps);
      long[] hits = e.shared() ? hits(rule, e, prefixOf(rule, steps), text) : scalarHits(text);
      if (LiteralIndex.has(hits, rule.literalSlot)) {
        return true;
      }
    }
    return false;
  }

  /** The pipeline prefix id of a rule's first {@code steps} transformations (0: none). */
  private static int prefixOf(Rule rule, int steps) {
    return steps == 0 ? 0 : rule.pipelineIds[steps - 1];
  }

  /**
   * The index bits of a scalar's text (its value, or a transformation's result, which the
   * transaction's cache hands out as one String), by identity, for the transaction only: a scalar
   * can be the whole body, which the cross-request cache of argument values should not hold.
   */
  private long[] scalarHits(String text) {
    for (int i = 0; i < scalarTextCount; i++) {
      if (scalarTexts[i] == text) {
        return scalarTextHits[i];
      }
    }
    if (scalarTextCount == scalarTexts.length) {
      scalarTexts = Arrays.copyOf(scalarTexts, scalarTextCount * 2);
      scalarTextHits = Arrays.copyOf(scalarTextHits, scalarTextCount * 2);
    }
    long[] hits = literals.scan(text);
    scalarTexts[scalarTextCount] = text;
    scalarTextHits[scalarTextCount++] = hits;
    return hits;
  }

  /**
   * The union of the {@link LiteralIndex} bits of the values the rule's selector {@code t} yields
   * (its own exclusions applied; runtime target removals not, which only take values away) after
   * the first {@code steps} transformations of the rule's pipeline, kept per selection and
   * pipeline prefix for as long as the selection's values. Each value's own bits stay in its
   * {@link ValueMemo}, for the rules that test the values ({@link #testSelection}).
   */
  private long[] selectionHits(Rule rule, int t, int steps) {
    int selection = rule.selectionIds[t];
    int prefix = prefixOf(rule, steps);
    int pipelines = ruleSet.pipelineCount();
    // First: a grown collection makes new values and drops the selection's unions.
    List<Entry> values = selectionValues(rule, t);
    if (values.isEmpty()) {
      // No cookies, no query: 14-15 selections a request are empty (CRS PL1, the bench's
      // requests), and their arrays were a fifth of a GET's garbage.
      return noHits;
    }
    long[][] unions = selectionHits[selection];
    if (unions == null) {
      unions = new long[pipelines][];
      selectionHits[selection] = unions;
    }
    if (unions[prefix] != null) {
      return unions[prefix];
    }
    // Build this prefix's union together with those of the other prefixes earlier transactions
    // asked of this selection (the same rules mostly run), in one pass over the values: a value's
    // memo is then read for all its prefixes while it is in the cache, not once per prefix over
    // the whole selection (~2,000 scattered steps a 2 KiB JSON body).
    ruleSet.learnPrefix(selection, prefix);
    int[] todo = prefixScratch;
    int n = 0;
    todo[n++] = prefix;
    for (int w = 0; w < ruleSet.prefixWords(); w++) {
      long bits = ruleSet.learnedPrefixes(selection, w);
      while (bits != 0) {
        int p = (w << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        if (p != prefix && unions[p] == null) {
          todo[n++] = p;
        }
      }
    }
    // Each prefix's stand-in (a rule with that prefix) read once, before the value loop: looked up
    // in the rule set at every step, it cost GETs and recurring bodies 8-11% (bench/waf-ab.sh).
    Rule[] reps = prefixRulesScratch;
    int[] repSteps = prefixStepsScratch;
    long[][] built = new long[n][];
    for (int j = 0; j < n; j++) {
      reps[j] = ruleSet.prefixRule(todo[j]);
      repSteps[j] = ruleSet.prefixSteps(todo[j]);
      built[j] = new long[literals.words()];
    }
    for (int i = 0; i < values.size(); i++) {
      Entry e = values.get(i);
      ValueMemo memo = e.memo();
      for (int j = 0; j < n; j++) {
        // A value met before (most of a FHIR body's, from the cross-request cache) knows its bits
        // already: its text is not needed for them.
        long[] hits = memo.knownHits(todo[j]);
        if (hits == null) {
          String value = repSteps[j] == 0 ? e.value() : transform(reps[j], e, repSteps[j]);
          hits = memo.hits(todo[j], value, literals, pipelines);
        }
        long[] union = built[j];
        for (int w = 0; w < union.length; w++) {
          union[w] |= hits[w];
        }
      }
    }
    for (int j = 0; j < n; j++) {
      unions[todo[j]] = built[j];
    }
    return unions[prefix];
  }

  /**
   * A rule skippable by literals, over its selector {@code t}: only the values whose bits hold
   * the rule's literal are tested, the others cannot match (their test would fail at the bit,
   * with nothing to undo). ~2,000 rule-value pairs a 2 KiB JSON body, ~60% of them lacking the
   * literal, were each walked through exclusions, pipeline memo and bits before.
   */
  private boolean testSelection(Rule rule, int t) {
    int steps = rule.transformations.length;
    if (!LiteralIndex.has(selectionHits(rule, t, steps), rule.literalSlot)) {
      return false;
    }
    List<Entry> values = selectionValues[rule.selectionIds[t]];
    int prefix = prefixOf(rule, steps);
    Target target = rule.targetArray[t];
    boolean any = false;
    boolean verdicts = rule.skipsRememberedFailures();
    for (int i = 0; i < values.size(); i++) {
      // The union pass left every value of the selection its bits for this prefix, and the memo
      // says whether the operator failed the value before: both are read before its text.
      Entry e = values.get(i);
      ValueMemo memo = e.memo();
      long[] hits = memo.knownHits(prefix);
      if (!LiteralIndex.has(hits, rule.literalSlot) || verdicts && memo.missed(rule.verdictSlot)) {
        continue;
      }
      String value = steps == 0 ? e.value() : transform(rule, e, steps);
      // The selection has the rule's own exclusions applied; ctl removals come on top.
      if (!removedTargets.isEmpty() && excluded(rule, NO_TARGETS, target.name, e)) {
        continue;
      }
      any |= test(rule, target, e, value, hits);
    }
    return any;
  }

  private static final Target[] NO_TARGETS = new Target[0];

  /** The text of small counts ({@code &ARGS}, {@code &TX:...}): ~40 a request, mostly 0 and 1. */
  private static final String[] COUNTS = new String[64];

  static {
    for (int i = 0; i < COUNTS.length; i++) {
      COUNTS[i] = Integer.toString(i);
    }
  }

  /** The transaction's entries for small counts, made on first use (an entry is one thread's). */
  private final Entry[] countEntries = new Entry[COUNTS.length];

  /** A count as a value: one entry per small count, so that what matches it is made once too. */
  private Entry countEntry(int n) {
    if (n >= COUNTS.length) {
      return new Entry(null, Integer.toString(n));
    }
    Entry e = countEntries[n];
    if (e == null) {
      e = new Entry(null, COUNTS[n]);
      countEntries[n] = e;
    }
    return e;
  }

  /**
   * The values selector {@code t} of the rule yields with the rule's own exclusions applied, kept
   * per selection while its collection keeps its size (the body adds ARGS after phase 1): rules
   * with different pipelines over the same selection (every SQLi rule carries the free-text
   * exclusion regex) share it. New values drop the selection's unions ({@link #selectionHits}).
   */
  private List<Entry> selectionValues(Rule rule, int t) {
    int selection = rule.selectionIds[t];
    Target target = rule.targetArray[t];
    int size = keyed[target.slot].size();
    List<Entry> values = selectionValues[selection];
    if (values != null && selectionValuesSize[selection] == size) {
      return values;
    }
    selectionHits[selection] = null;
    List<Entry> all = valueBuffer;
    all.clear();
    resolve(target, all);
    values = new ArrayList<>(all.size());
    Target[] exclusions = rule.exclusionsByTarget[t];
    next:
    for (int i = 0; i < all.size(); i++) {
      Entry e = all.get(i);
      for (Target x : exclusions) {
        if (x.excludes(target.name, e)) {
          continue next;
        }
      }
      values.add(e);
    }
    all.clear();
    selectionValues[selection] = values;
    selectionValuesSize[selection] = size;
    return values;
  }

  /**
   * The {@link LiteralIndex} bits of an argument's or header's value after pipeline prefix
   * {@code prefix} (0: none), kept in its {@link ValueMemo}; null where the operator filters on its
   * own.
   */
  private long[] hits(Rule rule, Entry e, int prefix, String value) {
    return rule.literalSlot >= 0 && e.shared()
        ? e.memo().hits(prefix, value, literals, ruleSet.pipelineCount()) : null;
  }

  /**
   * Runs the operator; the variable's display name is only built for a match. With {@code hits},
   * a clear bit means none of the pattern's required literals is in the value: no match.
   */
  private boolean test(Rule rule, Target target, Entry e, String value, long[] hits) {
    currentRule = rule;
    boolean matched;
    // An operator that failed this value for another entry fails it again (the rule's pipeline
    // makes the same text of it): failures are kept, and the matches of negated rules without
    // capture (a match there fires nothing); any other match must run for its captures.
    // (multiMatch rules keep their verdict for all steps together: testEachStep.)
    ValueMemo memo = rule.verdictSlot >= 0 && !rule.multiMatch && e.shared() ? e.memo() : null;
    limitsExceeded = false;
    if (memo != null && memo.missed(rule.verdictSlot)) {
      matched = false;
    } else if (memo != null && rule.skipsRememberedMatches() && memo.matchedBefore(rule.verdictSlot)) {
      matched = true;
    } else if (hits != null && !LiteralIndex.has(hits, rule.literalSlot)) {
      matched = false;
    } else {
      literalFound = hits != null;
      try {
        matched = rule.operator.test(this, value);
      } finally {
        literalFound = false;
      }
      // A search abandoned at its step budget is no verdict on the value: not remembered, so
      // every request with it runs the search again and sets TX:MSC_PCRE_LIMITS_EXCEEDED.
      if (!matched && memo != null && !limitsExceeded) {
        memo.miss(rule.verdictSlot, ruleSet.verdictCount());
      } else if (matched && memo != null && rule.skipsRememberedMatches()) {
        memo.matched(rule.verdictSlot, ruleSet.verdictCount());
      }
    }
    if (matched == rule.negated) {
      return false;
    }
    Matched m = matched(target, e, value);
    matchedVar = value;
    matchedVarName = m.var.key();
    matchedVars.add(m.var);
    matchedVarsNames.add(m.varName);
    runPerMatch(rule);
    return true;
  }

  /**
   * What a match of {@code value} (entry {@code e} under {@code target}) adds to MATCHED_VAR(S):
   * its name and the two entries, made once per entry, target and value. At paranoia level 1 some
   * 75 matches a request are of a few TX entries and counts (mostly the paranoia level, to skip
   * the higher levels' rules), and each built the same name and entries anew.
   */
  private record Matched(Entry source, String targetName, String value, Entry var, Entry varName) {}

  private final Matched[] recentMatches = new Matched[4];
  private int recentMatchNext;

  private Matched matched(Target target, Entry e, String value) {
    for (Matched m : recentMatches) {
      if (m != null && m.source == e && m.value == value && m.targetName.equals(target.name)) {
        return m;
      }
    }
    String name = e.key() == null ? target.name : target.name + ":" + e.key();
    Matched m = new Matched(e, target.name, value, new Entry(name, value), new Entry(name, name));
    recentMatches[recentMatchNext] = m;
    recentMatchNext = (recentMatchNext + 1) & 3;
    return m;
  }

  private void runPerMatch(Rule rule) {
    for (int i = 0, n = rule.perMatch.size(); i < n; i++) {
      RuleAction a = rule.perMatch.get(i);
      a.run(this, rule);
    }
    if (rule.msg != null) {
      message = rule.msg.expand(this);
    }
    if (rule.logData != null) {
      logData = rule.logData.expand(this);
    }
  }

  private boolean afterMatch(Rule rule) {
    for (int i = 0, n = rule.afterMatch.size(); i < n; i++) {
      RuleAction a = rule.afterMatch.get(i);
      a.run(this, rule);
    }
    return true;
  }

  /**
   * What the first {@code steps} transformations of the rule make of a value. A keyed
   * collection's value (an argument, a header) keeps each pipeline prefix's result in its {@link
   * ValueMemo} for the transaction, by prefix id, so a pipeline starts from its longest prefix
   * another rule already ran; short values are then transformed directly, which costs less than
   * hashing them for a cache (most transformations return a benign value as it is). Long values,
   * and the values of other variables, go through the transaction's cache.
   */
  private String transform(Rule rule, Entry e, int steps) {
    if (!e.shared()) {
      return transform(rule, e.value(), steps);
    }
    int[] ids = rule.pipelineIds;
    String done = e.memo().pipelineResult(ids[steps - 1]);
    if (done != null) {
      return done;
    }
    String[] memo = e.memo().pipelineMemo(ruleSet.pipelineCount());
    int from = steps - 1;
    while (from > 0 && memo[ids[from - 1]] == null) {
      from--;
    }
    String current = from == 0 ? e.value() : memo[ids[from - 1]];
    for (int i = from; i < steps; i++) {
      current = current == e.value() ? stepOnValue(rule, e, i)
          : current.length() <= DIRECT_TRANSFORM_LIMIT ? rule.transformations[i].apply(current)
          : step(rule, i, current);
      memo[ids[i]] = current;
    }
    return current;
  }

  /**
   * Step {@code i} of the rule applied to the entry's value itself: nothing when the value holds
   * none of the characters the transformation acts on, else computed once per transformation
   * for the entry, whatever pipeline asks.
   */
  private String stepOnValue(Rule rule, Entry e, int i) {
    String value = e.value();
    ValueMemo memo = e.memo();
    if ((memo.classes() & rule.transformationTriggers[i]) == 0) {
      return value;
    }
    int id = rule.transformationIds[i];
    String out = memo.transformed(id);
    if (out == null) {
      out = value.length() <= DIRECT_TRANSFORM_LIMIT ? rule.transformations[i].apply(value)
          : step(rule, i, value);
      memo.transformedValue(ruleSet.transformationCount())[id] = out;
    }
    return out;
  }

  /** Transformation {@code i} of the rule on {@code input}, through the cache. */
  private String step(Rule rule, int i, String input) {
    int step = rule.transformationIds[i];
    String next = transformCache.get(input, step);
    if (next == null) {
      next = rule.transformations[i].apply(input);
      transformCache.put(input, step, next);
    }
    return next;
  }

  /**
   * The value after the first {@code steps} transformations, cached per transaction: the whole
   * prefix under its pipeline id (one probe when another rule ran it already), and each step
   * under its transformation id keyed by the step's own input, so pipelines that share a prefix,
   * or reach the same intermediate string, share the work. A transformation that changes nothing
   * returns its input, so the next step is keyed by the same string again.
   */
  private String transform(Rule rule, String value, int steps) {
    int whole = -rule.pipelineIds[steps - 1];
    String done = transformCache.get(value, whole);
    if (done != null) {
      return done;
    }
    String current = value;
    for (int i = 0; i < steps; i++) {
      current = step(rule, i, current);
    }
    transformCache.put(value, whole, current);
    return current;
  }

  /** {@code exclusions}: the rule's own exclusions on this variable. */
  private boolean excluded(Rule rule, Target[] exclusions, String varName, Entry e) {
    for (Target x : exclusions) {
      if (x.excludes(varName, e)) {
        return true;
      }
    }
    for (TargetRemoval r : removedTargets) {
      boolean applies = r.ids() != null ? rule.id >= r.ids()[0] && rule.id <= r.ids()[1]
          : rule.starter.hasTag(r.tag());
      if (applies) {
        for (Target x : r.targets()) {
          if (x.excludes(varName, e)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- variable resolution

  /** The values a selector yields (one count value for {@code &}). */
  void resolve(Target t, List<Entry> out) {
    if (t.counted) {
      List<Entry> all = countBuffer;
      all.clear();
      values(t.kind, t.slot, t.name, t.key, t.keyLower, t.keyMatcher, all);
      int n = all.size();
      all.clear();
      out.add(countEntry(n));
      return;
    }
    values(t.kind, t.slot, t.name, t.key, t.keyLower, t.keyMatcher, out);
  }

  /**
   * The values of variable {@code name} (of {@code kind}; {@code slot} for a keyed collection),
   * all of them, or those under {@code key} ({@code keyLower} lower-cased), or those whose key the
   * key regex finds.
   */
  private void values(Target.Kind kind, int slot, String name, String key, String keyLower,
      KeyMatcher regex, List<Entry> out) {
    switch (kind) {
      case TX -> {
        if (key != null && regex == null) {
          Entry e = tx.get(keyLower);
          if (e != null) {
            out.add(e);
          }
          return;
        }
        for (Entry e : tx.values()) {
          if (regex == null || regex.find(e.key())) {
            out.add(e);
          }
        }
      }
      case PERSISTENT -> {
        ConcurrentHashMap<String, PersistentStore.Stored> c = persistent.get(name);
        if (c == null) {
          return;
        }
        long now = System.currentTimeMillis();
        for (Map.Entry<String, PersistentStore.Stored> e : c.entrySet()) {
          if (e.getValue().expiresAt() <= now) {
            c.remove(e.getKey(), e.getValue());
            continue;
          }
          if (matchesKey(e.getKey(), key, regex)) {
            out.add(new Entry(e.getKey(), e.getValue().value()));
          }
        }
      }
      case XML -> {
        if (xml != null) {
          for (String v : xml.select(key)) {
            out.add(new Entry(key == null ? "/*" : key, v));
          }
        }
      }
      case RULE -> rule(key, regex, out);
      case MATCHED_VARS -> select(matchedVars, key, regex, out);
      case MATCHED_VARS_NAMES -> select(matchedVarsNames, key, regex, out);
      case MATCHED_VAR -> {
        if (matchedVar != null) {
          out.add(new Entry(null, matchedVar));
        }
      }
      case MATCHED_VAR_NAME -> {
        if (matchedVarName != null) {
          out.add(new Entry(null, matchedVarName));
        }
      }
      case DURATION -> out.add(new Entry(null, Long.toString((System.nanoTime() - startNanos) / 1000)));
      case TIME -> out.add(new Entry(null, time(name)));
      case KEYED -> select(keyed[slot], key, regex, out);
      case SCALAR -> {
        String v = scalar(name);
        if (v != null) {
          out.add(scalarEntry(v));
        }
      }
      default -> throw new IllegalStateException("variable kind " + kind);
    }
  }

  /**
   * A scalar's value as an entry. A short one shares the memo of its value, as arguments do: the
   * request line, path and method of an API's requests recur, and what the rules made of them
   * (920100's request-line pattern, the path checks of 930, 932, 941, 942) is then read, not run
   * again. A long one (the body as REQUEST_BODY) stays out of the memos, as in {@link ValueMemoCache}.
   */
  private Entry scalarEntry(String v) {
    return v.length() <= ValueMemoCache.MAX_VALUE_CHARS ? new Entry(null, v, memoOf(v)) : new Entry(null, v);
  }

  private static boolean matchesKey(String entryKey, String key, KeyMatcher regex) {
    if (regex != null) {
      return regex.find(entryKey);
    }
    return key == null || key.equalsIgnoreCase(entryKey);
  }

  private static void select(KeyedValues c, String key, KeyMatcher regex, List<Entry> out) {
    if (key == null && regex == null) {
      // One by one: addAll would copy the source into a fresh array first.
      List<Entry> all = c.all();
      for (int i = 0; i < all.size(); i++) {
        out.add(all.get(i));
      }
      return;
    }
    for (Entry e : c.all()) {
      if (matchesKey(e.key(), key, regex)) {
        out.add(e);
      }
    }
  }

  private void rule(String key, KeyMatcher regex, List<Entry> out) {
    Rule r = currentRule == null ? null : currentRule.starter;
    if (r == null) {
      return;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("id", Integer.toString(r.id));
    fields.put("phase", Integer.toString(r.phase));
    if (r.msg != null) {
      fields.put("msg", r.msg.isConstant() ? r.msg.text() : message == null ? "" : message);
    }
    if (r.logData != null) {
      fields.put("logdata", logData == null ? "" : logData);
    }
    if (r.severity != null) {
      fields.put("severity", r.severity);
    }
    if (r.rev != null) {
      fields.put("rev", r.rev);
    }
    if (r.ver != null) {
      fields.put("ver", r.ver);
    }
    if (r.maturity != null) {
      fields.put("maturity", r.maturity);
    }
    if (r.accuracy != null) {
      fields.put("accuracy", r.accuracy);
    }
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (matchesKey(e.getKey(), key, regex)) {
        out.add(new Entry(e.getKey(), e.getValue()));
      }
    }
  }

  private static String time(String name) {
    LocalDateTime t = LocalDateTime.now();
    return switch (name) {
      case "TIME" -> String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
      case "TIME_DAY" -> Integer.toString(t.getDayOfMonth());
      case "TIME_EPOCH" -> Long.toString(System.currentTimeMillis() / 1000);
      case "TIME_HOUR" -> Integer.toString(t.getHour());
      case "TIME_MIN" -> Integer.toString(t.getMinute());
      case "TIME_MON" -> Integer.toString(t.getMonthValue());
      case "TIME_SEC" -> Integer.toString(t.getSecond());
      case "TIME_WDAY" -> Integer.toString(t.getDayOfWeek().getValue() % 7);
      default -> Integer.toString(t.getYear());
    };
  }

  // ---------------------------------------------------------------- macros and operator context

  @Override
  public String firstValue(Macro.Variable variable) {
    Target.Kind kind = variable.kind();
    String name = variable.name();
    if (kind == null) {
      return null;
    }
    if (kind == Target.Kind.SCALAR) {
      return scalar(name);
    }
    if (kind == Target.Kind.TX && variable.key() != null) {
      Entry e = tx.get(variable.keyLower());
      return e == null ? null : e.value();
    }
    List<Entry> out = firstBuffer;
    out.clear();
    values(kind, variable.slot(), name, variable.key(), variable.keyLower(), null, out);
    String v = out.isEmpty() ? null : out.get(0).value();
    out.clear();
    return v;
  }

  @Override
  public String expand(String text) {
    if (text.indexOf("%{") < 0) {
      return text;
    }
    return ruleSet.macro(text).expand(this);
  }

  @Override
  public boolean capturing() {
    return currentRule != null && currentRule.capture;
  }

  @Override
  public boolean literalFound() {
    return literalFound;
  }

  @Override
  public void limitsExceeded() {
    limitsExceeded = true;
    setVar("TX", "MSC_PCRE_LIMITS_EXCEEDED", "1");
  }

  @Override
  public void capture(int index, String value) {
    setVar("TX", Integer.toString(index), value);
  }

  // ---------------------------------------------------------------- what actions change

  String getVar(String collection, String key) {
    if (collection.equals("TX")) {
      Entry e = tx.get(key.toLowerCase(Locale.ROOT));
      return e == null ? null : e.value();
    }
    ConcurrentHashMap<String, PersistentStore.Stored> c = persistent.get(collection);
    if (c == null) {
      return null;
    }
    PersistentStore.Stored s = c.get(key.toLowerCase(Locale.ROOT));
    return s == null || s.expiresAt() <= System.currentTimeMillis() ? null : s.value();
  }

  void setVar(String collection, String key, String value) {
    if (collection.equals("TX")) {
      tx.put(key.toLowerCase(Locale.ROOT), new Entry(key, value));
      return;
    }
    ConcurrentHashMap<String, PersistentStore.Stored> c = persistent.get(collection);
    if (c == null) {
      // Writing a collection that was never initcol'd does nothing, as in ModSecurity.
      return;
    }
    String k = key.toLowerCase(Locale.ROOT);
    PersistentStore.Stored old = c.get(k);
    long expires = old != null && old.expiresAt() != Long.MAX_VALUE
        ? old.expiresAt() : ruleSet.store().defaultExpiry(System.currentTimeMillis());
    c.put(k, new PersistentStore.Stored(value, expires));
  }

  void deleteVar(String collection, String key) {
    if (collection.equals("TX")) {
      tx.remove(key.toLowerCase(Locale.ROOT));
      return;
    }
    ConcurrentHashMap<String, PersistentStore.Stored> c = persistent.get(collection);
    if (c != null) {
      c.remove(key.toLowerCase(Locale.ROOT));
    }
  }

  void initCollection(String collection, String key) {
    persistent.put(collection, ruleSet.store().open(collection, key));
  }

  void expireVar(String collection, String key, long seconds) {
    ConcurrentHashMap<String, PersistentStore.Stored> c = persistent.get(collection);
    if (c == null) {
      return;
    }
    String k = key.toLowerCase(Locale.ROOT);
    PersistentStore.Stored old = c.get(k);
    if (old != null) {
      c.put(k, new PersistentStore.Stored(old.value(), System.currentTimeMillis() + seconds * 1000));
    }
  }

  void skip(int n) {
    skipCount = n;
  }

  void skipAfter(String marker) {
    skipMarker = marker;
  }

  void removeRules(List<long[]> ranges) {
    removedIds.addAll(ranges);
  }

  void removeRulesByTag(String tag) {
    removedTags.add(tag);
  }

  void removeTargets(long[] ids, String tag, List<Target> targets) {
    removedTargets.add(new TargetRemoval(ids, tag, targets));
  }

  void setMode(EngineMode mode) {
    this.mode = mode;
  }

  void setBodyProcessor(String processor) {
    bodyProcessor = processor;
    scalars.put("REQBODY_PROCESSOR", processor);
  }

  void setBodyAccess(boolean on) {
    bodyAccess = on;
  }

  void forceRequestBodyVariable(boolean on) {
    forceRequestBody = on;
  }

  void setBodyLimit(long limit) {
    if (limit > 0) {
      bodyLimit = limit;
    }
  }
}
