package dev.citizen.gateway.waf.seclang;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads SecLang directives into a {@link ParsedConfig}. Syntax only: operators and
 * transformations are compiled later by the engine, which reports their errors with the same
 * {@code file:line}.
 */
public final class SecLangParser {

  private final ParsedConfig config = new ParsedConfig();
  /** The rule whose last part said {@code chain}: the next SecRule joins it. */
  private RuleDef openChain;
  private SourceLine openChainLine;
  private int includeDepth;

  public ParsedConfig config() {
    if (openChain != null) {
      throw new SecLangException(openChainLine.where(), "rule says chain but no rule follows it");
    }
    return config;
  }

  /** Parses lines given in code ({@code before}/{@code after}); relative paths from the CWD. */
  public void parseLines(List<String> lines, String name) {
    if (lines == null) {
      return;
    }
    int n = 0;
    for (String text : lines) {
      n++;
      for (SourceLine l : SecLangReader.split(null, text)) {
        directive(new SourceLine(null, name, n, l.text()));
      }
    }
  }

  /** Parses one file, or every file a glob in its last name component matches. */
  public void parseFile(Path file) {
    for (Path p : expand(file, null)) {
      for (SourceLine line : SecLangReader.read(p)) {
        directive(line);
      }
    }
  }

  private void directive(SourceLine line) {
    List<String> args = Arguments.split(line);
    if (args.isEmpty()) {
      return;
    }
    String directive = args.get(0);
    String where = line.where();
    SourceLine src = line;
    switch (directive.toLowerCase(Locale.ROOT)) {
      case "secrule" -> secRule(src, args, where);
      case "secaction" -> secAction(src, args, where);
      case "secmarker" -> {
        need(args, 2, where);
        closeChain(where);
        config.rules.add(new RuleDef(src, RuleDef.Kind.MARKER, List.of(), null, null, false,
            List.of(), args.get(1)));
      }
      case "secdefaultaction" -> {
        need(args, 2, where);
        List<ActionSpec> actions = ActionSpec.parseList(args.get(1), where);
        int phase = 2;
        for (ActionSpec a : actions) {
          if (a.name().equals("phase")) {
            phase = phase(a.value(), where);
          }
        }
        config.defaultActions.put(phase, actions);
      }
      case "secruleremovebyid" -> {
        need(args, 2, where);
        for (int i = 1; i < args.size(); i++) {
          for (String part : args.get(i).split("[ ,]+")) {
            if (!part.isBlank()) {
              config.removedIdRanges.add(idRange(part, where));
            }
          }
        }
      }
      case "secruleremovebytag" -> {
        need(args, 2, where);
        config.removedTags.add(args.get(1));
      }
      case "secruleremovebymsg" -> {
        need(args, 2, where);
        config.removedMsgs.add(args.get(1));
      }
      case "secruleupdatetargetbyid" -> {
        need(args, 3, where);
        List<VariableSpec> targets = VariableSpec.parseList(args.get(2), where);
        for (String part : args.get(1).split("[ ,]+")) {
          if (!part.isBlank()) {
            long[] r = idRange(part, where);
            config.targetUpdates.add(new ParsedConfig.TargetUpdate(r[0], r[1], null, targets, where));
          }
        }
      }
      case "secruleupdatetargetbytag" -> {
        need(args, 3, where);
        config.targetUpdates.add(new ParsedConfig.TargetUpdate(0, -1, args.get(1),
            VariableSpec.parseList(args.get(2), where), where));
      }
      case "secruleupdateactionbyid" -> {
        need(args, 3, where);
        String id = args.get(1);
        int colon = id.indexOf(':');
        if (colon >= 0) {
          id = id.substring(0, colon);
        }
        config.actionUpdates.add(new ParsedConfig.ActionUpdate(parseInt(id, where),
            ActionSpec.parseList(args.get(2), where), where));
      }
      case "seccomponentsignature" -> {
        need(args, 2, where);
        config.componentSignatures.add(args.get(1));
      }
      case "secruleengine" -> {
        need(args, 2, where);
        String v = args.get(1);
        switch (v.toLowerCase(Locale.ROOT)) {
          case "on" -> config.ruleEngine = "On";
          case "off" -> config.ruleEngine = "Off";
          case "detectiononly" -> config.ruleEngine = "DetectionOnly";
          default -> throw new SecLangException(where, "SecRuleEngine: " + v
              + " (expected: On, Off or DetectionOnly)");
        }
      }
      case "secrequestbodyaccess" -> config.requestBodyAccess = onOff(args, where);
      case "secresponsebodyaccess" -> config.responseBodyAccess = onOff(args, where);
      case "secrequestbodylimit" -> config.requestBodyLimit = number(args, where);
      case "secrequestbodynofileslimit" -> config.requestBodyNoFilesLimit = number(args, where);
      case "secrequestbodylimitaction" -> {
        need(args, 2, where);
        String v = args.get(1);
        if (v.equalsIgnoreCase("Reject")) {
          config.requestBodyLimitAction = "Reject";
        } else if (v.equalsIgnoreCase("ProcessPartial")) {
          config.requestBodyLimitAction = "ProcessPartial";
        } else {
          throw new SecLangException(where, "SecRequestBodyLimitAction: " + v
              + " (expected: Reject or ProcessPartial)");
        }
      }
      case "seccollectiontimeout" -> config.collectionTimeoutSeconds = number(args, where);
      case "secargumentslimit" -> config.argumentsLimit = (int) number(args, where);
      case "secargumentseparator" -> {
        need(args, 2, where);
        if (args.get(1).length() != 1) {
          throw new SecLangException(where, "SecArgumentSeparator: " + args.get(1)
              + " (expected: one character)");
        }
        config.argumentSeparator = args.get(1).charAt(0);
      }
      case "seccookieformat" -> {
        need(args, 2, where);
        if (!args.get(1).equals("0") && !args.get(1).equals("1")) {
          throw new SecLangException(where, "SecCookieFormat: " + args.get(1) + " (expected: 0 or 1)");
        }
      }
      case "include" -> {
        need(args, 2, where);
        include(line, args.get(1), where);
      }
      // Accepted and ignored: logging, storage and tuning knobs that change nothing a request sees
      // here (audit and debug logs belong to the gateway's own logging).
      case "secunicodemapfile", "secunicodecodepage", "secstatusengine", "secauditengine",
          "secauditlog", "secauditlog2", "secauditlogparts", "secauditlogrelevantstatus",
          "secauditlogtype", "secauditlogformat", "secauditlogstoragedir", "secauditlogdirmode",
          "secauditlogfilemode", "secdebuglog", "secdebugloglevel", "sectmpdir", "secdatadir",
          "secuploaddir", "secuploadkeepfiles", "secuploadfilelimit", "secuploadfilemode",
          "secpcrematchlimit", "secpcrematchlimitrecursion", "secresponsebodymimetype",
          "secresponsebodylimit", "secresponsebodylimitaction", "secrequestbodyinmemorylimit",
          "secrequestbodyjsondepthlimit", "sectmpsaveuploadedfiles", "secservertokens",
          "secserversignature", "secwebappid", "secsensorid", "sechttpblkey", "secgeolookupdb",
          "secremoterules", "secremoterulesfailaction", "seccontentinjection",
          "secstreamoutbodyinspection", "secstreaminbodyinspection", "secxmlexternalentity",
          "secruleperftime", "secinterceptonerror", "secconnengine" -> { }
      default -> throw new SecLangException(where, "unknown directive " + directive);
    }
  }

  private void secRule(SourceLine src, List<String> args, String where) {
    if (args.size() < 3 || args.size() > 4) {
      throw new SecLangException(where, "SecRule takes VARIABLES OPERATOR [ACTIONS], got "
          + (args.size() - 1) + " arguments");
    }
    List<VariableSpec> vars = VariableSpec.parseList(args.get(1), where);
    if (vars.isEmpty()) {
      throw new SecLangException(where, "SecRule has no variables");
    }
    String op = args.get(2).strip();
    boolean negated = false;
    if (op.startsWith("!")) {
      negated = true;
      op = op.substring(1).stripLeading();
    }
    String name = "rx";
    String param = op;
    if (op.startsWith("@")) {
      int sp = 1;
      while (sp < op.length() && !Character.isWhitespace(op.charAt(sp))) {
        sp++;
      }
      name = op.substring(1, sp);
      param = op.substring(sp).strip();
      if (name.isEmpty()) {
        throw new SecLangException(where, "operator name missing after @");
      }
    }
    List<ActionSpec> actions = args.size() == 4 ? ActionSpec.parseList(args.get(3), where) : List.of();
    add(new RuleDef(src, RuleDef.Kind.RULE, vars, name, param, negated, actions, null), where);
  }

  private void secAction(SourceLine src, List<String> args, String where) {
    need(args, 2, where);
    if (args.size() > 2) {
      throw new SecLangException(where, "SecAction takes one argument, got " + (args.size() - 1));
    }
    add(new RuleDef(src, RuleDef.Kind.ACTION, List.of(), null, null, false,
        ActionSpec.parseList(args.get(1), where), null), where);
  }

  private void add(RuleDef rule, String where) {
    boolean chains = rule.hasAction("chain");
    if (openChain != null) {
      if (rule.hasAction("id")) {
        throw new SecLangException(where, "a chained rule cannot have an id");
      }
      openChain.chain().add(rule);
      if (!chains) {
        openChain = null;
      }
      return;
    }
    if (rule.action("id") == null) {
      throw new SecLangException(where, "rule has no id");
    }
    rule.id();
    config.rules.add(rule);
    if (chains) {
      openChain = rule;
      openChainLine = rule.source();
    }
  }

  private void closeChain(String where) {
    if (openChain != null) {
      throw new SecLangException(openChainLine.where(), "rule says chain but no rule follows it");
    }
  }

  private void include(SourceLine line, String pattern, String where) {
    if (++includeDepth > 20) {
      throw new SecLangException(where, "Include nested more than 20 deep");
    }
    try {
      Path p = Path.of(pattern);
      if (!p.isAbsolute()) {
        p = line.baseDir().resolve(p);
      }
      List<Path> files = expand(p, where);
      for (Path f : files) {
        for (SourceLine l : SecLangReader.read(f)) {
          directive(l);
        }
      }
    } finally {
      includeDepth--;
    }
  }

  /** The files a path names: itself, or the sorted matches of a glob in its last component. */
  static List<Path> expand(Path path, String where) {
    String last = path.getFileName() == null ? "" : path.getFileName().toString();
    if (!(last.contains("*") || last.contains("?") || last.contains("["))) {
      if (!Files.isRegularFile(path)) {
        throw new SecLangException(where == null ? path.toString() : where,
            "no such rule file: " + path);
      }
      return List.of(path);
    }
    Path dir = path.toAbsolutePath().getParent();
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + last);
    List<Path> out = new ArrayList<>();
    if (dir != null && Files.isDirectory(dir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          if (matcher.matches(p.getFileName()) && Files.isRegularFile(p)) {
            out.add(p);
          }
        }
      } catch (IOException e) {
        throw new SecLangException(where == null ? path.toString() : where,
            "cannot list " + dir + ": " + e.getMessage(), e);
      }
    }
    out.sort(null);
    return out;
  }

  static int phase(String value, String where) {
    if (value == null) {
      throw new SecLangException(where, "phase needs a value");
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "1", "request_headers" -> 1;
      case "2", "request", "request_body" -> 2;
      case "3", "response_headers" -> 3;
      case "4", "response", "response_body" -> 4;
      case "5", "logging" -> 5;
      case "0" -> 0;
      default -> throw new SecLangException(where, "phase: " + value + " (expected: 1-5, request, response or logging)");
    };
  }

  /** {@code 920350} or {@code 920000-920999}, as an inclusive range. */
  public static long[] idRange(String text, String where) {
    String t = text.strip();
    int dash = t.indexOf('-', 1);
    try {
      if (dash > 0) {
        return new long[] {Long.parseLong(t.substring(0, dash).strip()), Long.parseLong(t.substring(dash + 1).strip())};
      }
      long id = Long.parseLong(t);
      return new long[] {id, id};
    } catch (NumberFormatException e) {
      throw new SecLangException(where, "rule id or range: " + text + " (expected: 123 or 100-199)");
    }
  }

  private static int parseInt(String s, String where) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      throw new SecLangException(where, "not a number: " + s);
    }
  }

  private static void need(List<String> args, int n, String where) {
    if (args.size() < n) {
      throw new SecLangException(where, args.get(0) + " needs " + (n - 1) + " argument(s)");
    }
  }

  private static boolean onOff(List<String> args, String where) {
    need(args, 2, where);
    String v = args.get(1);
    if (v.equalsIgnoreCase("On")) {
      return true;
    }
    if (v.equalsIgnoreCase("Off")) {
      return false;
    }
    throw new SecLangException(where, args.get(0) + ": " + v + " (expected: On or Off)");
  }

  private static long number(List<String> args, String where) {
    need(args, 2, where);
    try {
      return Long.parseLong(args.get(1).strip());
    } catch (NumberFormatException e) {
      throw new SecLangException(where, args.get(0) + ": " + args.get(1) + " (expected: a number)");
    }
  }
}
