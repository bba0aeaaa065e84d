package dev.citizen.gateway.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The requests the CRS regression runner sends are the bytes go-ftw would send. */
class CrsRegressionSuiteTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String text) {
    return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
  }

  private static String request(String inputYaml) {
    return new String(CrsRegressionSuite.request(yaml(inputYaml)), StandardCharsets.ISO_8859_1);
  }

  @Test
  void defaultsAndAutocompletedHeaders() {
    assertEquals("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        request("headers: {Host: localhost}"));
    assertEquals("POST /x HTTP/1.0\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "Connection: close\r\nContent-Length: 7\r\n\r\nfoo=bar",
        request("method: POST\nuri: /x\nversion: HTTP/1.0\nheaders: {Host: h}\ndata: foo=bar"));
    assertEquals("POST / HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 99\r\nConnection: close\r\n\r\nab",
        request("method: POST\nheaders: {Content-Type: text/plain, Content-Length: 99}\ndata: ab"),
        "headers already written are kept as written");
    assertEquals("GET / HTTP/1.1\r\ncontent-type: text/plain\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "Connection: close\r\nContent-Length: 1\r\n\r\na",
        request("headers: {content-type: text/plain}\ndata: a"), "go-ftw compares header names exactly");
  }

  @Test
  void stopMagicSendsOnlyWhatIsWritten() {
    assertEquals("GET /?a=b HTTP/1.1\r\nHost: h\r\n\r\nx=1",
        request("uri: /?a=b\nheaders: {Host: h}\ndata: x=1\nstop_magic: true"));
    assertEquals("GET / HTTP/1.1\r\n\r\n", request("autocomplete_headers: false"));
    assertEquals("GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
        request("autocomplete_headers: true\nstop_magic: true"), "autocomplete_headers wins");
  }

  @Test
  void malformedRequestLinesGoOutAsWritten() {
    assertEquals("     GET / HTTP/1.1\r\nConnection: close\r\n\r\n", request("method: \"     GET\""));
    assertEquals("GET /a b \r\nConnection: close\r\n\r\n", request("uri: /a b\nversion: \"\""));
  }

  @Test
  void rawAndEncodedRequestsAreSentAsTheyAre() {
    assertEquals("POST / HTTP/1.0\r\n\r\ntest=\u00c2\u00ac\u00c3\u00ad\u0000\u0005",
        request("raw_request: \"POST / HTTP/1.0\\r\\n\\r\\ntest=\\xac\\xed\\x00\\x05\""),
        "YAML \\xac is U+00AC, sent as UTF-8 like a Go string");
    assertEquals("GET / HTTP/1.1\r\n\r\n", request("encoded_request: \"R0VUIC8gSFRUUC8xLjENCg0K\""));
  }

  @Test
  void dataListsAreJoinedWithCrlfAndMultipartGetsCrlfLineEnds() {
    assertEquals("7\r\nfoo=bar\r\n0", request("data: ['7', 'foo=bar', '0']\nstop_magic: true").split("\r\n\r\n", 2)[1]);
    String multipart = request("method: POST\nheaders: {Content-Type: \"multipart/form-data; boundary=b\"}\n"
        + "data: \"--b\\nContent-Disposition: form-data; name=\\\"a\\\"\\r\\n\\nx\\n--b--\\n\"");
    String body = multipart.split("\r\n\r\n", 2)[1];
    assertEquals("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b--\r\n", body);
    assertFalse(multipart.contains("\r\r"));
  }

  @Test
  void casesKnowTheirFamilyExpectationsAndWhetherTheyRun() {
    Map<String, Object> doc = new LinkedHashMap<>(yaml("""
        meta: {enabled: false}
        tests:
          - test_title: 942100-1
            stages:
              - stage:
                  input: {uri: /?q=1}
                  output: {log_contains: id "942100", status: [403, 200]}
        """));
    List<CrsRegressionSuite.Case> cases = CrsRegressionSuite.cases("942100.yaml", doc);
    CrsRegressionSuite.Case c = cases.get(0);
    assertEquals("942", c.family());
    assertEquals("942100-1", c.title());
    assertFalse(c.enabled());
    assertEquals("id \"942100\"", c.output().logContains());
    assertEquals(List.of(403, 200), c.output().status());
    assertNull(c.output().noLogContains());
    assertEquals(List.of(400), CrsRegressionSuite.output(yaml("status: 400")).status());
  }
}
