package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No false positives at paranoia level 1: realistic healthcare requests ({@code
 * src/test/resources/waf/benign/*.http}: FHIR resources and searches, names like O'Brien and
 * D'Angelo, clinical notes with {@code <}, {@code >}, {@code ;} and SQL-like English, base64
 * attachments, form posts, multipart uploads) go through the real gateway with the WAF in block
 * mode, CRS as Debian installs it, and every one must reach the service.
 *
 * <p>A {@code .http} file is a request as written by hand: request line, headers, an empty line
 * and the body; the test sends it with CRLF line ends and the body's Content-Length.
 */
@Timeout(120)
class WafBenignCorpusTest {

  @Test
  void everyBenignRequestPassesInBlockModeAtParanoiaLevel1() throws Exception {
    Path dir = Path.of(WafBenignCorpusTest.class.getClassLoader().getResource("waf/benign").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".http")).sorted().toList();
    }
    assertTrue(files.size() >= 40, "the corpus has " + files.size() + " requests");
    List<String> blocked = new ArrayList<>();
    List<String> matched = new ArrayList<>();
    try (TestGateway t = TestGateway.create(); WafLogCapture log = new WafLogCapture()) {
      int backend = t.httpBackend(req -> req.body().onComplete(b -> req.response().end("ok")));
      t.startGateway("""
          server: {host: 127.0.0.1, port: 0}
          admin: {host: 127.0.0.1, port: 0}
          services:
          %s
          routes:
            - id: suite
              match: {path: /**}
              service: b
              waf: {mode: block, paranoiaLevel: 1}
          """.formatted(TestGateway.service("b", backend)));
      for (Path f : files) {
        String name = f.getFileName().toString();
        String id = "benign-" + name.replace(".http", "");
        String response = RawHttp.exchange(t.port(), request(Files.readString(f, StandardCharsets.UTF_8), id), 10_000);
        int status = RawHttp.statusOf(response);
        if (status != 200) {
          blocked.add(name + " → " + status + " " + RawHttp.bodyOf(response));
        }
        for (WafLogCapture.Line l : log.forRequest(id)) {
          matched.add(name + ": " + l.field("action") + " " + l.ruleIds() + " " + l.field("messages"));
        }
      }
    }
    // Rules that matched without blocking are no failure, but worth seeing when tuning.
    matched.forEach(m -> System.out.println("WAF on benign request: " + m));
    assertEquals(List.of(), blocked, "benign requests blocked; rules: " + matched);
  }

  /** The file's request with CRLF line ends, a request id to find its log line, and Content-Length. */
  static String request(String text, String requestId) {
    int split = text.indexOf("\n\n");
    String head = split < 0 ? text.strip() : text.substring(0, split);
    String body = split < 0 ? "" : text.substring(split + 2);
    if (head.contains("multipart/form-data")) {
      body = body.replace("\n", "\r\n");
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(head.replace("\n", "\r\n"));
    sb.append("\r\nX-Request-Id: ").append(requestId).append("\r\nConnection: close\r\n");
    if (bytes.length > 0) {
      sb.append("Content-Length: ").append(bytes.length).append("\r\n");
    }
    // RawHttp sends ISO-8859-1: the body's UTF-8 bytes, one char each.
    return sb.append("\r\n").append(new String(bytes, StandardCharsets.ISO_8859_1)).toString();
  }

  /**
   * The free-text exclusion does what it says and no more (block mode, PL1, the real CRS): a
   * clinical sentence that libinjection takes for SQL passes in a FHIR {@code text} field and is
   * blocked in any other field; SQL injection elsewhere, and XSS even in a free-text field, are
   * still blocked.
   */
  @Test
  void freeTextFieldsSkipOnlyTheSqlAndCommandInjectionRules() throws Exception {
    String sentence = "HbA1c 7.9% (target < 7%); diet & exercise discussed";
    try (TestGateway t = TestGateway.create()) {
      int backend = t.httpBackend(req -> req.body().onComplete(b -> req.response().end("ok")));
      t.startGateway("""
          server: {host: 127.0.0.1, port: 0}
          admin: {host: 127.0.0.1, port: 0}
          services:
          %s
          routes:
            - {id: suite, match: {path: /**}, service: b, waf: {mode: block, paranoiaLevel: 1}}
          """.formatted(TestGateway.service("b", backend)));
      String[][] cases = {
          {"{\"note\":[{\"text\":\"" + sentence + "\"}]}", "200"},
          {"{\"valueString\":\"" + sentence + "\"}", "200"},
          {"{\"family\":\"" + sentence + "\"}", "403"},
          {"{\"family\":\"x' UNION SELECT password FROM users--\"}", "403"},
          {"{\"note\":[{\"text\":\"<script>alert(document.cookie)</script>\"}]}", "403"},
      };
      for (String[] c : cases) {
        byte[] body = c[0].getBytes(StandardCharsets.UTF_8);
        String request = "POST /fhir/Observation HTTP/1.1\r\nHost: api.citizen.example\r\n"
            + "User-Agent: ward-app/1.0\r\nAccept: application/fhir+json\r\n"
            + "Content-Type: application/fhir+json\r\nContent-Length: " + body.length
            + "\r\nConnection: close\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1);
        String response = RawHttp.exchange(t.port(), request, 10_000);
        assertEquals(Integer.parseInt(c[1]), RawHttp.statusOf(response), c[0] + "\n" + response);
      }
    }
  }
}
