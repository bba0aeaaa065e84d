package dev.citizen.gateway.waf.operator;

import dev.citizen.gateway.waf.libinjection.Libinjection;
import java.nio.file.Path;
import java.util.List;

/**
 * Compiles SecLang operators once, when the rules load. Operators whose parameter holds macros
 * ({@code %{tx.allowed_methods}}) expand it through the transaction on each test and parse it then.
 */
public final class Operators {
  private Operators() {}

  /**
   * @param name the operator without {@code @} ({@code rx}, {@code pmFromFile}, {@code detectSQLi})
   * @param parameter the text after the name, trimmed
   * @param baseDir the rule file's directory, for relative {@code @pmFromFile} and {@code
   *     @ipMatchFromFile} paths (may be null: paths are then relative to the working directory)
   * @throws IllegalArgumentException for an unknown or unsupported operator or a bad parameter
   */
  /**
   * The phrases of the files an {@code @pmFromFile} parameter names (what its operator would
   * match), so that a caller can tell two such operators with the same content apart from two
   * with different files.
   *
   * @throws IllegalArgumentException when a file cannot be read or holds no phrase
   */
  public static List<String> phraseFiles(String parameter, Path baseDir) {
    return PhraseMatch.filePhrases(parameter == null ? "" : parameter.trim(), baseDir);
  }

  /** {@code @pmFromFile} over phrases already read ({@link #phraseFiles}). */
  public static Operator phraseMatch(List<String> phrases) {
    return PhraseMatch.of(phrases);
  }

  public static Operator compile(String name, String parameter, Path baseDir) {
    String param = parameter == null ? "" : parameter.trim();
    return switch (name) {
      case "rx" -> new Regex(param);
      case "pm" -> PhraseMatch.inline(param);
      case "pmFromFile", "pmf" -> PhraseMatch.fromFiles(param, baseDir);
      case "streq" -> StringMatch.streq(param);
      case "strmatch", "contains" -> StringMatch.contains(param);
      case "beginsWith" -> StringMatch.beginsWith(param);
      case "endsWith" -> StringMatch.endsWith(param);
      case "containsWord" -> StringMatch.containsWord(param);
      case "within" -> StringMatch.within(param);
      case "eq" -> new NumericCompare(param, NumericCompare.Comparison.EQ);
      case "ge" -> new NumericCompare(param, NumericCompare.Comparison.GE);
      case "gt" -> new NumericCompare(param, NumericCompare.Comparison.GT);
      case "le" -> new NumericCompare(param, NumericCompare.Comparison.LE);
      case "lt" -> new NumericCompare(param, NumericCompare.Comparison.LT);
      case "validateByteRange" -> Validation.byteRange(param);
      case "validateUrlEncoding" -> Validation.urlEncoding();
      case "validateUtf8Encoding" -> Validation.utf8Encoding();
      case "ipMatch" -> IpMatch.of(param);
      case "ipMatchFromFile", "ipMatchF" -> IpMatch.fromFile(param, baseDir);
      case "unconditionalMatch" -> (ctx, input) -> true;
      case "noMatch" -> (ctx, input) -> false;
      case "detectSQLi" -> (ctx, input) -> {
        String fingerprint = Libinjection.sqli(input);
        if (fingerprint == null) {
          return false;
        }
        if (ctx.capturing()) {
          ctx.capture(0, fingerprint);
        }
        return true;
      };
      case "detectXSS" -> (ctx, input) -> Libinjection.xss(input);
      case "verifyCC" -> new VerifyCreditCard(param);
      // CRS 3.3.4 names these two in rules 910100 and 910140, which run only when the operator
      // configures high-risk countries or an HTTP:BL key. Without a GeoIP database or a DNSBL key
      // ModSecurity does not match either, and neither do these: the rules load and stay inert.
      case "geoLookup", "rbl" -> (ctx, input) -> false;
      case "inspectFile", "fuzzyHash", "verifyCPF", "verifySSN", "verifySVNR", "gsbLookup" ->
          throw new IllegalArgumentException("operator @" + name + " is not supported");
      default -> throw new IllegalArgumentException("unknown operator: @" + name);
    };
  }
}
