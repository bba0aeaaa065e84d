package dev.citizen.gateway.waf.engine;

import dev.citizen.gateway.waf.seclang.VariableSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A compiled variable selector: {@code ARGS}, {@code ARGS:foo}, {@code ARGS:/^id_/},
 * {@code &ARGS}, or (as an exclusion) {@code !ARGS:foo}. Keys and key regexes compare
 * case-insensitively, as in ModSecurity v3.
 */
final class Target {

  /** Variables with keys. */
  static final Set<String> COLLECTIONS = Set.of("ARGS", "ARGS_GET", "ARGS_POST", "ARGS_NAMES",
      "ARGS_GET_NAMES", "ARGS_POST_NAMES", "REQUEST_HEADERS", "REQUEST_HEADERS_NAMES",
      "REQUEST_COOKIES", "REQUEST_COOKIES_NAMES", "FILES", "FILES_NAMES", "FILES_SIZES",
      "FILES_TMPNAMES", "FILES_TMP_CONTENT", "MULTIPART_PART_HEADERS", "TX", "IP", "GLOBAL",
      "SESSION", "USER", "RESOURCE", "ENV", "GEO", "RULE", "XML", "MATCHED_VARS",
      "MATCHED_VARS_NAMES", "RESPONSE_HEADERS", "RESPONSE_HEADERS_NAMES", "ARGS_JSON");

  /** Variables with one value (or none). */
  static final Set<String> SCALARS = Set.of("REQUEST_URI", "REQUEST_URI_RAW", "REQUEST_FILENAME",
      "REQUEST_BASENAME", "REQUEST_LINE", "REQUEST_METHOD", "REQUEST_PROTOCOL", "QUERY_STRING",
      "REQUEST_BODY", "REQUEST_BODY_LENGTH", "ARGS_COMBINED_SIZE", "FILES_COMBINED_SIZE",
      "MULTIPART_STRICT_ERROR", "MULTIPART_BOUNDARY_QUOTED", "MULTIPART_BOUNDARY_WHITESPACE",
      "MULTIPART_DATA_BEFORE", "MULTIPART_DATA_AFTER", "MULTIPART_HEADER_FOLDING",
      "MULTIPART_LF_LINE", "MULTIPART_CRLF_LF_LINES", "MULTIPART_MISSING_SEMICOLON",
      "MULTIPART_INVALID_QUOTING", "MULTIPART_INVALID_PART", "MULTIPART_INVALID_HEADER_FOLDING",
      "MULTIPART_FILE_LIMIT_EXCEEDED", "MULTIPART_UNMATCHED_BOUNDARY", "MULTIPART_FILENAME",
      "MULTIPART_NAME", "REQBODY_ERROR", "REQBODY_ERROR_MSG", "REQBODY_PROCESSOR",
      "REQBODY_PROCESSOR_ERROR", "REQBODY_PROCESSOR_ERROR_MSG", "REMOTE_ADDR", "REMOTE_HOST",
      "REMOTE_PORT", "REMOTE_USER", "SERVER_ADDR", "SERVER_PORT", "SERVER_NAME", "UNIQUE_ID",
      "DURATION", "TIME", "TIME_DAY", "TIME_EPOCH", "TIME_HOUR", "TIME_MIN", "TIME_MON",
      "TIME_SEC", "TIME_WDAY", "TIME_YEAR", "MATCHED_VAR", "MATCHED_VAR_NAME", "FULL_REQUEST",
      "FULL_REQUEST_LENGTH", "AUTH_TYPE", "URLENCODED_ERROR", "INBOUND_DATA_ERROR",
      "OUTBOUND_DATA_ERROR", "STATUS", "RESPONSE_STATUS", "RESPONSE_BODY", "RESPONSE_PROTOCOL",
      "RESPONSE_CONTENT_TYPE", "RESPONSE_CONTENT_LENGTH", "PATH_INFO", "HIGHEST_SEVERITY",
      "WEBAPPID", "SESSIONID", "USERID", "MSC_PCRE_LIMITS_EXCEEDED", "REQUEST_HEADERS_LENGTH",
      "STATUS_LINE", "WEBSERVER_ERROR_LOG", "USERAGENT_IP", "MODSEC_BUILD");

  /**
   * How a transaction finds a variable's values, decided once per name so that the rule loop does
   * not switch on the name's text for every target of every rule.
   */
  enum Kind { TX, PERSISTENT, XML, RULE, MATCHED_VARS, MATCHED_VARS_NAMES, MATCHED_VAR,
    MATCHED_VAR_NAME, DURATION, TIME, KEYED, SCALAR }

  /** The collections a transaction fills as {@link KeyedValues}, each at its index ({@link #slot}). */
  static final List<String> KEYED = List.of("ARGS", "ARGS_GET", "ARGS_POST", "ARGS_NAMES",
      "ARGS_GET_NAMES", "ARGS_POST_NAMES", "REQUEST_HEADERS", "REQUEST_HEADERS_NAMES",
      "REQUEST_COOKIES", "REQUEST_COOKIES_NAMES", "FILES", "FILES_NAMES", "FILES_SIZES",
      "FILES_TMPNAMES", "FILES_TMP_CONTENT", "MULTIPART_PART_HEADERS", "ENV", "GEO",
      "RESPONSE_HEADERS", "RESPONSE_HEADERS_NAMES", "ARGS_JSON");

  private static final Map<String, Kind> KINDS = new HashMap<>();
  private static final Map<String, Integer> SLOTS = new HashMap<>();

  static {
    for (String n : SCALARS) {
      KINDS.put(n, Kind.SCALAR);
    }
    for (int i = 0; i < KEYED.size(); i++) {
      KINDS.put(KEYED.get(i), Kind.KEYED);
      SLOTS.put(KEYED.get(i), i);
    }
    KINDS.put("TX", Kind.TX);
    for (String n : List.of("IP", "GLOBAL", "SESSION", "USER", "RESOURCE")) {
      KINDS.put(n, Kind.PERSISTENT);
    }
    KINDS.put("XML", Kind.XML);
    KINDS.put("RULE", Kind.RULE);
    KINDS.put("MATCHED_VARS", Kind.MATCHED_VARS);
    KINDS.put("MATCHED_VARS_NAMES", Kind.MATCHED_VARS_NAMES);
    KINDS.put("MATCHED_VAR", Kind.MATCHED_VAR);
    KINDS.put("MATCHED_VAR_NAME", Kind.MATCHED_VAR_NAME);
    KINDS.put("DURATION", Kind.DURATION);
    for (String n : List.of("TIME", "TIME_DAY", "TIME_EPOCH", "TIME_HOUR", "TIME_MIN", "TIME_MON",
        "TIME_SEC", "TIME_WDAY", "TIME_YEAR")) {
      KINDS.put(n, Kind.TIME);
    }
    for (String n : COLLECTIONS) {
      if (!KINDS.containsKey(n)) {
        throw new AssertionError("collection without a kind: " + n);
      }
    }
  }

  final String name;
  final String key;
  final Pattern regex;
  final boolean counted;
  final Kind kind;
  /** For {@link Kind#KEYED}: the collection's index in {@link #KEYED}; otherwise -1. */
  final int slot;
  /** The key lower-cased (TX and persistent keys are stored so). */
  final String keyLower;
  /** The key regex, with a literal fast path; null without a regex. */
  final KeyMatcher keyMatcher;

  private Target(String name, String key, Pattern regex, boolean counted) {
    this.name = name;
    this.key = key;
    this.regex = regex;
    this.counted = counted;
    this.kind = KINDS.get(name);
    this.slot = SLOTS.getOrDefault(name, -1);
    this.keyLower = key == null ? null : key.toLowerCase(Locale.ROOT);
    this.keyMatcher = regex == null ? null : KeyMatcher.of(regex);
  }

  static boolean known(String name) {
    return KINDS.containsKey(name);
  }

  /** The kind of a known variable name; null for an unknown one. */
  static Kind kindOf(String name) {
    return KINDS.get(name);
  }

  /** The {@link #KEYED} index of a name; -1 when it is not such a collection. */
  static int slotOf(String name) {
    return SLOTS.getOrDefault(name, -1);
  }

  /** @throws IllegalArgumentException for an unknown variable or a bad key regex */
  static Target of(VariableSpec spec) {
    if (!known(spec.name())) {
      throw new IllegalArgumentException("unknown variable " + spec.name());
    }
    Pattern regex = null;
    if (spec.regex()) {
      try {
        regex = Pattern.compile(spec.key(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("bad key regex in " + spec.display() + ": "
            + e.getDescription());
      }
    }
    return new Target(spec.name(), spec.regex() ? null : spec.key(), regex, spec.counted());
  }

  /** Whether an entry of this variable with key {@code entryKey} is selected. */
  boolean selectsKey(String entryKey) {
    if (regex != null) {
      return entryKey != null && keyMatcher.find(entryKey);
    }
    if (key == null) {
      return true;
    }
    return entryKey != null && key.equalsIgnoreCase(entryKey);
  }

  boolean wholeVariable() {
    return key == null && regex == null;
  }

  /** As an exclusion: whether it removes the value {@code e} of variable {@code varName}. */
  boolean excludes(String varName, Entry e) {
    if (!name.equals(varName)) {
      return false;
    }
    // A key regex's answer is remembered by the entry (the same exclusion is asked of every rule).
    return regex != null ? e.key() != null && e.keyFound(keyMatcher) : selectsKey(e.key());
  }

  String display() {
    String base = key != null ? name + ":" + key : regex != null ? name + ":/" + regex.pattern() + "/" : name;
    return counted ? "&" + base : base;
  }
}
