package dev.citizen.gateway.waf.libinjection;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The line formats of tools/libinjection/oracle.c, which runs the C libinjection 3.9.2 linked into
 * Debian's libmodsecurity3, so that this port's answers can be compared with the original's byte
 * for byte. {@link #main} reads hex-encoded inputs on stdin like the C tool (argument {@code
 * tokens} for the token dump) for comparing fresh inputs by hand.
 */
final class OracleFormat {
  private OracleFormat() {}

  private static final int[] PASSES = {
    SqliTokenizer.FLAG_QUOTE_NONE | SqliTokenizer.FLAG_SQL_ANSI,
    SqliTokenizer.FLAG_QUOTE_NONE | SqliTokenizer.FLAG_SQL_MYSQL,
    SqliTokenizer.FLAG_QUOTE_SINGLE | SqliTokenizer.FLAG_SQL_ANSI,
    SqliTokenizer.FLAG_QUOTE_SINGLE | SqliTokenizer.FLAG_SQL_MYSQL,
    SqliTokenizer.FLAG_QUOTE_DOUBLE | SqliTokenizer.FLAG_SQL_MYSQL
  };

  static String fromHex(String hex) {
    StringBuilder sb = new StringBuilder(hex.length() / 2);
    for (int i = 0; i + 1 < hex.length(); i += 2) {
      sb.append((char) Integer.parseInt(hex.substring(i, i + 2), 16));
    }
    return sb.toString();
  }

  static String toHex(String bytes) {
    StringBuilder sb = new StringBuilder(bytes.length() * 2);
    for (int i = 0; i < bytes.length(); i++) {
      sb.append(String.format("%02x", bytes.charAt(i) & 0xFF));
    }
    return sb.toString();
  }

  /** "fingerprint-or-dash TAB xss-0-or-1", as the C tool's default mode. */
  static String verdict(String input) {
    String fp = Libinjection.sqli(input);
    return (fp == null ? "-" : fp) + "\t" + (Libinjection.xss(input) ? 1 : 0);
  }

  /** The folded tokens of each of libinjection_is_sqli's five passes, as the C tool's dump. */
  static String tokens(String input) {
    StringBuilder out = new StringBuilder();
    for (int p = 0; p < PASSES.length; p++) {
      SqliTokenizer st = new SqliTokenizer(input, 0);
      String fp = SqliDetector.fingerprint(st, PASSES[p]);
      if (p > 0) {
        out.append(' ');
      }
      out.append(PASSES[p]).append(':').append(fp).append(':');
      for (int i = 0; i < fp.length(); i++) {
        SqliToken t = st.tokenvec[i];
        out.append(String.format("%02x%02x%02x|", t.type & 0xFF, t.strOpen & 0xFF, t.strClose & 0xFF));
        for (int j = 0; j < t.len && j < 31; j++) {
          out.append(String.format("%02x", t.val[j] & 0xFF));
        }
        out.append('|').append(t.count).append(';');
      }
      out.append("ddx").append(st.statsCommentDdx)
          .append(",hash").append(st.statsCommentHash)
          .append(",tok").append(st.statsTokens);
    }
    return out.toString();
  }

  public static void main(String[] args) throws Exception {
    boolean tokens = args.length > 0 && args[0].equals("tokens");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
    String line;
    while ((line = in.readLine()) != null) {
      String input = fromHex(line.trim());
      out.println(tokens ? tokens(input) : verdict(input));
    }
    out.flush();
  }
}
