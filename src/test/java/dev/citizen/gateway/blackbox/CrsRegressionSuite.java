package dev.citizen.gateway.blackbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The CRS regression suite in go-ftw's YAML format, read into test cases, and each case's request
 * built as the bytes go-ftw would send:
 *
 * <ul>
 *   <li>{@code raw_request} as is, {@code encoded_request} base64-decoded;
 *   <li>otherwise {@code "<method> <uri> <version>\r\n"} (defaults GET, /, HTTP/1.1), the headers
 *       as written (names in their case, in file order; go-ftw's map has no order), an empty line
 *       and {@code data} (a YAML list is joined with CRLF, as the Python ftw did);
 *   <li>unless {@code stop_magic: true} / {@code autocomplete_headers: false}: a {@code Content-Type:
 *       application/x-www-form-urlencoded} when there is data and no {@code Content-Type}, then
 *       {@code Connection: close} and {@code Content-Length} (when there is data) if not written;
 *       header names are compared exactly, as go-ftw's map does;
 *   <li>multipart bodies get CRLF line ends (go-ftw replaces LF; a CR already there is kept);
 *   <li>text is sent as UTF-8, as Go strings are: a YAML {@code "\xac"} is the character U+00AC,
 *       two bytes on the wire.
 * </ul>
 *
 * <p>Not done: go-ftw re-encodes a urlencoded body when a parameter repeats (no test here needs
 * it); cookies between stages (every test here has one stage); {@code dest_addr} and {@code port}
 * (every request goes to the gateway under test).
 */
final class CrsRegressionSuite {
  /** One stage's expectations; null fields are not checked. */
  record Output(String logContains, String noLogContains, List<Integer> status, Boolean expectError,
      String responseContains) {}

  /** One test: where it comes from, the bytes to send, what to expect. */
  record Case(String file, String family, String title, boolean enabled, byte[] request, Output output) {}

  private CrsRegressionSuite() {}

  /** Every test of every {@code *.yaml} under {@code dir}, in file-name order. */
  static List<Case> load(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    Load yaml = new Load(LoadSettings.builder().setAllowDuplicateKeys(true).build());
    List<Case> cases = new ArrayList<>();
    for (Path f : files) {
      @SuppressWarnings("unchecked")
      Map<String, Object> doc = (Map<String, Object>) yaml.loadFromString(Files.readString(f, StandardCharsets.UTF_8));
      cases.addAll(cases(f.getFileName().toString(), doc));
    }
    return cases;
  }

  @SuppressWarnings("unchecked")
  static List<Case> cases(String fileName, Map<String, Object> doc) {
    Map<String, Object> meta = (Map<String, Object>) doc.getOrDefault("meta", Map.of());
    boolean enabled = !Boolean.FALSE.equals(meta.get("enabled"));
    String family = fileName.replaceAll("\\D.*", "");
    family = family.length() >= 3 ? family.substring(0, 3) : "?";
    List<Case> out = new ArrayList<>();
    for (Object t : (List<Object>) doc.get("tests")) {
      Map<String, Object> test = (Map<String, Object>) t;
      String title = String.valueOf(test.get("test_title"));
      List<Object> stages = (List<Object>) test.get("stages");
      // Every test in the CRS 3.3.4 suite has one stage; a later stage would need cookies carried over.
      Map<String, Object> stage = (Map<String, Object>) ((Map<String, Object>) stages.get(0)).get("stage");
      Map<String, Object> input = (Map<String, Object>) stage.get("input");
      Map<String, Object> output = (Map<String, Object>) stage.getOrDefault("output", Map.of());
      out.add(new Case(fileName, family, title, enabled, request(input), output(output)));
    }
    return out;
  }

  static Output output(Map<String, Object> o) {
    List<Integer> status = null;
    Object s = o.get("status");
    if (s instanceof List<?> l) {
      status = l.stream().map(x -> Integer.parseInt(String.valueOf(x).trim())).toList();
    } else if (s != null) {
      status = List.of(Integer.parseInt(String.valueOf(s).trim()));
    }
    return new Output(text(o.get("log_contains")), text(o.get("no_log_contains")), status,
        o.get("expect_error") == null ? null : Boolean.valueOf(String.valueOf(o.get("expect_error"))),
        text(o.get("response_contains")));
  }

  /** The request bytes go-ftw would send for this input. */
  @SuppressWarnings("unchecked")
  static byte[] request(Map<String, Object> in) {
    String raw = text(in.get("raw_request"));
    if (raw != null && !raw.isEmpty()) {
      return utf8(raw);
    }
    String encoded = text(in.get("encoded_request"));
    if (encoded != null && !encoded.isEmpty()) {
      return Base64.getMimeDecoder().decode(encoded);
    }
    String method = in.containsKey("method") ? String.valueOf(in.get("method")) : "GET";
    String uri = in.containsKey("uri") ? String.valueOf(in.get("uri")) : "/";
    String version = in.containsKey("version") ? String.valueOf(in.get("version")) : "HTTP/1.1";
    Map<String, String> headers = new LinkedHashMap<>();
    Object h = in.get("headers");
    if (h instanceof Map<?, ?> m) {
      m.forEach((k, v) -> headers.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    }
    String data = data(in.get("data"));
    boolean autocomplete = autocomplete(in);
    if (autocomplete && !data.isEmpty()) {
      headers.putIfAbsent("Content-Type", "application/x-www-form-urlencoded");
    }
    if (headers.getOrDefault("Content-Type", "").startsWith("multipart/form-data")) {
      data = data.replaceAll("(?<!\r)\n", "\r\n");
    }
    byte[] body = utf8(data);
    if (autocomplete) {
      headers.putIfAbsent("Connection", "close");
      if (body.length > 0) {
        headers.putIfAbsent("Content-Length", Integer.toString(body.length));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8(method + " " + uri + " " + version + "\r\n"));
    headers.forEach((k, v) -> out.writeBytes(utf8(k + ": " + v + "\r\n")));
    out.writeBytes(utf8("\r\n"));
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** go-ftw: autocomplete_headers (default true); the older stop_magic is its inverse. */
  static boolean autocomplete(Map<String, Object> in) {
    if (in.get("autocomplete_headers") != null) {
      return Boolean.parseBoolean(String.valueOf(in.get("autocomplete_headers")));
    }
    if (in.get("stop_magic") != null) {
      return !Boolean.parseBoolean(String.valueOf(in.get("stop_magic")));
    }
    return true;
  }

  private static String data(Object d) {
    if (d == null) {
      return "";
    }
    if (d instanceof List<?> l) {
      return String.join("\r\n", l.stream().map(x -> x == null ? "" : String.valueOf(x)).toList());
    }
    return String.valueOf(d);
  }

  private static String text(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
