package dev.citizen.gateway.waf.engine;

import static dev.citizen.gateway.waf.engine.RuleSetTest.ids;
import static dev.citizen.gateway.waf.engine.RuleSetTest.request;
import static dev.citizen.gateway.waf.engine.RuleSetTest.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyProcessorsTest {

  private static final String JSON_CTL =
      "SecRule REQUEST_HEADERS:Content-Type \"^application/json\" \"id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON\"";
  private static final String XML_CTL =
      "SecRule REQUEST_HEADERS:Content-Type \"^(?:application(?:/soap\\+|/)|text/)xml\" \"id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML\"";

  /** Every name=value the JSON processor produces, in order. */
  private static List<String> jsonArgs(String body) throws Exception {
    List<String> out = new ArrayList<>();
    JsonBodyParser.parse(body, (origin, name, value) -> out.add(origin + " " + name + "=" + value));
    return out;
  }

  @Test
  void jsonNamesFollowModSecurityV3() throws Exception {
    assertEquals(List.of("JSON json.a=1", "JSON json.b.c=x", "JSON json.b.d=true", "JSON json.e=",
        "JSON json.f.array_0=1", "JSON json.f.array_1=2", "JSON json.f.array_2.g=h"),
        jsonArgs("{\"a\":1,\"b\":{\"c\":\"x\",\"d\":true},\"e\":null,\"f\":[1,2,{\"g\":\"h\"}]}"));
    assertEquals(List.of("JSON json.array_0=1", "JSON json.array_1=-2.5e3"), jsonArgs("[1,-2.5e3]"));
    assertEquals(List.of("JSON json=s"), jsonArgs("\"s\""));
    // Arrays in arrays, objects in arrays in objects, empty containers, escapes. A key names the
    // one value or container after it (v3's getCurrentKey() uses it up): an element of an array
    // is named by its position alone.
    assertEquals(List.of("JSON json.a.array_0.array_0=1", "JSON json.a.array_0.array_1=2",
        "JSON json.a.array_1.array_0.b.array_0=3", "JSON json.a.array_1.array_0.b.array_1.c=x\"y",
        "JSON json.a.array_2=z", "JSON json.d.e.f=\u00c3\u00a9\n", "JSON json.h=", "JSON json.i.array_0.j=1",
        "JSON json.i.array_1.k.array_0=true", "JSON json.i.array_1.k.array_1=false"),
        jsonArgs("{\"a\":[[1,2],[{\"b\":[3,{\"c\":\"x\\\"y\"}]},[]],\"z\"],\"d\":{\"e\":{\"f\":\"\\u00e9\\n\"},"
            + "\"g\":[]},\"h\":null,\"i\":[{\"j\":1},{\"k\":[true,false]}]}"));
    // An empty key is "empty-key", for a value and for a container.
    assertEquals(List.of("JSON json.empty-key=1", "JSON json.x.empty-key.array_0=2"),
        jsonArgs("{\"\":1,\"x\":{\"\":[2]}}"));
  }

  @Test
  void jsonEscapesBecomeUtf8Bytes() throws Exception {
    assertEquals(List.of("JSON json.n=O'Brien \u00c3\u00a9 \"q\""),
        jsonArgs("{\"n\":\"O\\u0027Brien \\u00e9 \\\"q\\\"\"}"));
  }

  @Test
  void jsonBodyFeedsArgsButNotArgsPost() {
    RuleSet rs = rules(JSON_CTL,
        "SecRule ARGS:json.user.name \"@streq O'Brien\" \"id:1,phase:2,pass\"",
        "SecRule &ARGS_POST \"@eq 0\" \"id:2,phase:2,pass\"",
        "SecRule REQBODY_PROCESSOR \"@streq JSON\" \"id:3,phase:2,pass\"",
        "SecRule REQBODY_ERROR \"@eq 0\" \"id:4,phase:2,pass\"",
        "SecRule REQUEST_BODY \"@rx Brien\" \"id:5,phase:2,pass\"",
        "SecRule REQUEST_BODY_LENGTH \"@gt 0\" \"id:6,phase:2,pass\"");
    WafOutcome o = rs.evaluate(request("POST", "/api", "{\"user\":{\"name\":\"O'Brien\"}}",
        "Content-Type", "application/json; charset=utf-8"));
    assertEquals(List.of(1, 2, 3, 4, 6), ids(o), "a parsed JSON body is not REQUEST_BODY too (ModSecurity v2)");
  }

  @Test
  void requestBodyHoldsTheRawBodyForUrlEncodedUnparsedOrForcedBodies() {
    String rule = "SecRule REQUEST_BODY \"@rx Brien\" \"id:5,phase:2,pass\"";
    assertEquals(List.of(5), ids(rules(rule).evaluate(request("POST", "/api", "name=O'Brien",
        "Content-Type", "application/x-www-form-urlencoded"))), "URL-encoded");
    assertEquals(List.of(5), ids(rules(rule).evaluate(request("POST", "/api", "O'Brien",
        "Content-Type", "text/plain"))), "no processor took it");
    assertEquals(List.of(5), ids(rules(JSON_CTL,
        "SecAction \"id:7,phase:1,pass,nolog,ctl:forceRequestBodyVariable=On\"", rule)
        .evaluate(request("POST", "/api", "{\"name\":\"O'Brien\"}", "Content-Type", "application/json"))),
        "forced");
  }

  @Test
  void brokenJsonIsARequestBodyError() {
    RuleSet rs = rules(JSON_CTL,
        "SecRule REQBODY_ERROR \"!@eq 0\" \"id:200002,phase:2,t:none,log,deny,status:400,logdata:'%{reqbody_error_msg}'\"");
    WafOutcome o = rs.evaluate(request("POST", "/api", "{\"a\":", "Content-Type", "application/json"));
    assertTrue(o.disrupted());
    assertEquals(400, o.status());
    assertTrue(o.matches().get(0).logData().startsWith("JSON parsing error"), o.matches().get(0).logData());
    assertFalse(rs.evaluate(request("POST", "/api", "{\"a\":1}", "Content-Type", "application/json")).disrupted());
    assertFalse(rs.evaluate(request("POST", "/api", "{\"a\":1} x", "Content-Type", "text/plain")).disrupted());
    assertTrue(rs.evaluate(request("POST", "/api", "{\"a\":1} x", "Content-Type", "application/json")).disrupted());
  }

  @Test
  void urlencodedBodyFeedsArgsPost() {
    RuleSet rs = rules(
        "SecRule ARGS_POST:name \"@streq a b\" \"id:1,phase:2,pass\"",
        "SecRule ARGS_GET:q \"@streq 1\" \"id:2,phase:2,pass\"",
        "SecRule &ARGS \"@eq 3\" \"id:3,phase:2,pass\"",
        "SecRule ARGS_POST_NAMES \"@streq other\" \"id:4,phase:2,pass\"",
        "SecRule ARGS_COMBINED_SIZE \"@eq 15\" \"id:5,phase:2,pass\"",
        "SecRule ARGS_COMBINED_SIZE \"@eq 2\" \"id:6,phase:1,pass\"");
    WafOutcome o = rs.evaluate(request("POST", "/f?q=1", "name=a+b&other=x",
        "Content-Type", "application/x-www-form-urlencoded"));
    // The query's arguments alone in phase 1; the body's added in phase 2.
    assertEquals(List.of(6, 1, 2, 3, 4, 5), ids(o));
  }

  private static final String MULTIPART_RULES = "SecRule MULTIPART_STRICT_ERROR \"!@eq 0\" \"id:200003,phase:2,t:none,log,deny,status:400\"";

  @Test
  void multipartPartsBecomeArgsAndFiles() {
    String body = "--xyz\r\n"
        + "Content-Disposition: form-data; name=\"field\"\r\n\r\n"
        + "value one\r\n"
        + "--xyz\r\n"
        + "Content-Disposition: form-data; name=\"upload\"; filename=\"a.php\"\r\n"
        + "Content-Type: text/plain\r\n\r\n"
        + "<?php echo 1; ?>\r\n"
        + "--xyz--\r\n";
    RuleSet rs = rules(MULTIPART_RULES,
        "SecRule ARGS_POST:field \"@streq value one\" \"id:1,phase:2,pass\"",
        "SecRule FILES:upload \"@streq a.php\" \"id:2,phase:2,pass\"",
        "SecRule FILES_NAMES \"@streq upload\" \"id:3,phase:2,pass\"",
        "SecRule FILES_SIZES:upload \"@eq 16\" \"id:4,phase:2,pass\"",
        "SecRule MULTIPART_PART_HEADERS:upload \"@rx ^Content-Type: text/plain$\" \"id:5,phase:2,pass\"",
        "SecRule REQBODY_PROCESSOR \"@streq MULTIPART\" \"id:6,phase:2,pass\"",
        "SecRule FILES_COMBINED_SIZE \"@eq 16\" \"id:7,phase:2,pass\"");
    WafOutcome o = rs.evaluate(request("POST", "/up", body,
        "Content-Type", "multipart/form-data; boundary=xyz"));
    assertFalse(o.disrupted(), o.toString());
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), ids(o));
  }

  private static MultipartBody multipart(String contentType, String body) {
    return MultipartBody.parse(contentType, body, 100);
  }

  @Test
  void multipartStrictnessFlags() {
    String part = "Content-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n";
    MultipartBody ok = multipart("multipart/form-data; boundary=b", "--b\r\n" + part + "--b--\r\n");
    assertFalse(ok.strictError(), ok.error);
    assertEquals("v", ok.parts.get(0).value());

    assertTrue(multipart("multipart/form-data; boundary=\"b\"", "--b\r\n" + part + "--b--\r\n").boundaryQuoted);
    assertTrue(multipart("multipart/form-data; boundary= b", "--b\r\n" + part + "--b--\r\n").boundaryWhitespace);
    assertTrue(multipart("multipart/form-data boundary=b", "--b\r\n" + part + "--b--\r\n").missingSemicolon);
    assertTrue(multipart("multipart/form-data; boundary=b", "junk\r\n--b\r\n" + part + "--b--\r\n").dataBefore);
    assertTrue(multipart("multipart/form-data; boundary=b", "--b\r\n" + part + "--b--\r\njunk").dataAfter);
    assertTrue(multipart("multipart/form-data; boundary=b",
        "--b\nContent-Disposition: form-data; name=\"a\"\n\nv\n--b--\n").lfLine);
    assertTrue(multipart("multipart/form-data; boundary=b",
        "--b\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nv\r\n--b--\r\n").headerFolding);
    assertTrue(multipart("multipart/form-data; boundary=b",
        "--b\r\nContent-Disposition: form-data; name=\"a'b\"\r\n\r\nv\r\n--b--\r\n").invalidQuoting);
    assertTrue(multipart("multipart/form-data; boundary=b",
        "--b\r\n" + part + "--c\r\n" + part + "--b--\r\n").unmatchedBoundary);
    MultipartBody missingFinal = multipart("multipart/form-data; boundary=b", "--b\r\n" + part);
    assertTrue(missingFinal.error != null && missingFinal.error.contains("Final boundary missing"));
    assertTrue(multipart("multipart/form-data", "x").error.contains("Boundary not found"));
    assertTrue(multipart("multipart/form-data; boundary=b",
        "--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--\r\n").error.contains("Content-Disposition"));
    MultipartBody noCrlfAtEnd = multipart("multipart/form-data; boundary=b", "--b\r\n" + part + "--b--");
    assertEquals(null, noCrlfAtEnd.error);
    assertEquals("v", noCrlfAtEnd.parts.get(0).value());
  }

  @Test
  void multipartStrictErrorReachesTheRules() {
    RuleSet rs = rules(MULTIPART_RULES);
    WafOutcome o = rs.evaluate(request("POST", "/up",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--\r\n",
        "Content-Type", "multipart/form-data; boundary=\"b\""));
    assertTrue(o.disrupted());
    assertEquals(200003, o.ruleId());
  }

  @Test
  void xmlBodyFillsTheXmlCollection() {
    RuleSet rs = rules(XML_CTL,
        "SecRule XML:/* \"@rx hello.*world\" \"id:1,phase:2,pass\"",
        "SecRule XML://@* \"@streq attr-value\" \"id:2,phase:2,pass\"",
        "SecRule REQBODY_ERROR \"@eq 0\" \"id:3,phase:2,pass\"");
    WafOutcome o = rs.evaluate(request("POST", "/soap",
        "<?xml version=\"1.0\"?><a x=\"attr-value\"><b>hello</b><c>world</c></a>",
        "Content-Type", "text/xml"));
    assertEquals(List.of(1, 2, 3), ids(o));
  }

  @Test
  void xmlExternalEntitiesAreNotFetchedAndBadXmlIsAnError() {
    RuleSet rs = rules(XML_CTL,
        "SecRule XML:/* \"@rx root:\" \"id:1,phase:2,pass\"",
        "SecRule REQBODY_ERROR \"!@eq 0\" \"id:2,phase:2,pass,logdata:'%{REQBODY_ERROR_MSG}'\"");
    WafOutcome xxe = rs.evaluate(request("POST", "/x",
        "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>",
        "Content-Type", "application/xml"));
    assertFalse(ids(xxe).contains(1));
    WafOutcome bad = rs.evaluate(request("POST", "/x", "<a><b></a>", "Content-Type", "application/xml"));
    assertEquals(List.of(2), ids(bad));
    assertTrue(bad.matches().get(0).logData().startsWith("XML parsing error"));
  }

  @Test
  void bodyOverTheLimitIsRejectedOrCut() {
    RuleSet reject = rules("SecRequestBodyNoFilesLimit 10",
        "SecRule ARGS \"@rx .\" \"id:1,phase:2,pass\"");
    WafOutcome o = reject.evaluate(request("POST", "/", "a=12345678901234",
        "Content-Type", "application/x-www-form-urlencoded"));
    assertTrue(o.disrupted());
    assertEquals(413, o.status());
    RuleSet partial = rules("SecRequestBodyNoFilesLimit 10", "SecRequestBodyLimitAction ProcessPartial",
        "SecRule ARGS:a \"@streq 12345678\" \"id:1,phase:2,pass\"",
        "SecRule INBOUND_DATA_ERROR \"@eq 1\" \"id:2,phase:2,pass\"");
    assertEquals(List.of(1, 2), ids(partial.evaluate(request("POST", "/", "a=12345678901234",
        "Content-Type", "application/x-www-form-urlencoded"))));
  }

  @Test
  void bodyAccessOffLeavesTheBodyUnread() {
    RuleSet rs = rules("SecRequestBodyAccess Off",
        "SecRule ARGS \"@rx .\" \"id:1,phase:2,pass\"",
        "SecAction \"id:2,phase:2,pass\"");
    assertEquals(List.of(2), ids(rs.evaluate(request("POST", "/", "a=1",
        "Content-Type", "application/x-www-form-urlencoded"))));
  }
}
