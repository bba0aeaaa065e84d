package dev.citizen.gateway.waf.transform;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The SecLang transformations by their {@code t:} names, with ModSecurity v3's byte semantics.
 *
 * <p>Every transformation returns the very same {@code String} instance when it changes nothing,
 * so the engine can tell "unchanged" with {@code ==} and skip re-running operators or re-caching.
 * Names are case-sensitive, as in ModSecurity; both spellings of {@code normalisePath} exist.
 */
public final class Transformations {
  private Transformations() {}

  private static final Transformation IDENTITY = in -> in;

  private static final Map<String, Transformation> BY_NAME = new HashMap<>();

  static {
    // "none" clears the rule's list in the engine; as a function it is the identity.
    BY_NAME.put("none", IDENTITY);
    BY_NAME.put("lowercase", CaseAndParity::lowercase);
    BY_NAME.put("uppercase", CaseAndParity::uppercase);
    BY_NAME.put("urlDecode", UrlDecoding::urlDecode);
    BY_NAME.put("urlDecodeUni", UrlDecoding::urlDecodeUni);
    BY_NAME.put("urlEncode", Codecs::urlEncode);
    BY_NAME.put("htmlEntityDecode", HtmlEntityDecode::apply);
    BY_NAME.put("jsDecode", EscapeDecoding::jsDecode);
    BY_NAME.put("cssDecode", EscapeDecoding::cssDecode);
    BY_NAME.put("escapeSeqDecode", EscapeDecoding::escapeSeqDecode);
    BY_NAME.put("cmdLine", CmdLine::apply);
    BY_NAME.put("compressWhitespace", Whitespace::compress);
    BY_NAME.put("removeWhitespace", Whitespace::remove);
    BY_NAME.put("removeNulls", Whitespace::removeNulls);
    BY_NAME.put("replaceNulls", Whitespace::replaceNulls);
    BY_NAME.put("trim", Whitespace::trim);
    BY_NAME.put("trimLeft", Whitespace::trimLeft);
    BY_NAME.put("trimRight", Whitespace::trimRight);
    BY_NAME.put("replaceComments", Comments::replace);
    BY_NAME.put("removeComments", Comments::remove);
    BY_NAME.put("removeCommentsChar", Comments::removeChar);
    BY_NAME.put("normalizePath", PathNormalization::unix);
    BY_NAME.put("normalisePath", PathNormalization::unix);
    BY_NAME.put("normalizePathWin", PathNormalization::windows);
    BY_NAME.put("normalisePathWin", PathNormalization::windows);
    BY_NAME.put("utf8toUnicode", Utf8ToUnicode::apply);
    BY_NAME.put("base64Decode", Codecs::base64Decode);
    BY_NAME.put("base64DecodeExt", Codecs::base64DecodeExt);
    BY_NAME.put("base64Encode", Codecs::base64Encode);
    BY_NAME.put("hexDecode", Codecs::hexDecode);
    BY_NAME.put("hexEncode", Codecs::hexEncode);
    BY_NAME.put("sqlHexDecode", Codecs::sqlHexDecode);
    BY_NAME.put("length", Digests::length);
    BY_NAME.put("md5", Digests::md5);
    BY_NAME.put("sha1", Digests::sha1);
    BY_NAME.put("parityEven7bit", CaseAndParity::parityEven);
    BY_NAME.put("parityOdd7bit", CaseAndParity::parityOdd);
    BY_NAME.put("parityZero7bit", CaseAndParity::parityZero);
  }

  /**
   * @throws IllegalArgumentException {@code unknown transformation: name}
   */
  public static Transformation byName(String name) {
    Transformation t = BY_NAME.get(name);
    if (t == null) {
      throw new IllegalArgumentException("unknown transformation: " + name);
    }
    return t;
  }

  /**
   * The {@link CharClasses} a value must hold for transformation {@code name} to change it: a
   * value with none of them comes back as it is (content-equal), so the step can be passed over.
   * {@link CharClasses#ALWAYS} for a transformation that may change any value (decoders of whole
   * values, digests, length). TransformationsTest checks each set on values made of every other
   * character.
   */
  public static int triggers(String name) {
    return switch (name) {
      case "lowercase" -> CharClasses.UPPER;
      case "uppercase" -> CharClasses.LOWER;
      case "urlDecode", "urlDecodeUni" -> CharClasses.PERCENT_PLUS;
      case "htmlEntityDecode" -> CharClasses.AMPERSAND;
      case "jsDecode", "cssDecode", "escapeSeqDecode" -> CharClasses.BACKSLASH;
      case "removeNulls", "replaceNulls" -> CharClasses.NUL;
      case "compressWhitespace", "removeWhitespace", "trim", "trimLeft", "trimRight" -> CharClasses.SPACE;
      case "replaceComments" -> CharClasses.STAR;
      case "removeComments", "removeCommentsChar" -> CharClasses.STAR | CharClasses.DASH_HASH_LT;
      case "cmdLine" -> CharClasses.UPPER | CharClasses.SPACE | CharClasses.BACKSLASH
          | CharClasses.QUOTE_CARET | CharClasses.COMMA_SEMICOLON;
      case "normalizePath", "normalisePath" -> CharClasses.SLASH | CharClasses.DOT;
      case "normalizePathWin", "normalisePathWin" -> CharClasses.SLASH | CharClasses.DOT | CharClasses.BACKSLASH;
      case "utf8toUnicode" -> CharClasses.HIGH | CharClasses.NUL; // it ends the value at a NUL, as C does
      case "sqlHexDecode" -> CharClasses.X;
      default -> CharClasses.ALWAYS;
    };
  }

  /** The names {@link #byName} knows, sorted. */
  public static Set<String> names() {
    return new TreeSet<>(BY_NAME.keySet());
  }
}
