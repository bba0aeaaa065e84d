package dev.citizen.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.citizen.gateway.server.Snapshot;
import dev.citizen.gateway.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code server.tls} and {@code services.*.tls}: binding, defaults, and errors with their key paths. */
@Timeout(30)
class TlsConfigTest {
  @TempDir
  static Path dir;
  static TestCertificates pki;
  static TestCertificates.Issued server;
  static TestCertificates.Issued other;
  static Path garbage;

  @BeforeAll
  static void pki() throws Exception {
    pki = TestCertificates.create(dir);
    server = pki.server("server");
    other = pki.client("other", "other");
    garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "hello\n");
  }

  @Test
  void serverTlsBindsAndCompiles() throws Exception {
    GatewayConfig c = parse("""
        server:
          port: 8443
          tls: {certFile: "%s", keyFile: "%s", redirectPort: 8080}
        """.formatted(server.certFile(), server.keyFile()));
    ServerTlsConfig tls = c.server().tls();
    assertEquals(server.certFile().toString(), tls.certFile());
    assertEquals(8080, tls.redirectPort());
    assertEquals(null, parse("server: {port: 1}\n").server().tls(), "TLS is off unless configured");
    assertEquals(null, parse("server: {tls: {certFile: \"%s\", keyFile: \"%s\"}}\n"
        .formatted(server.certFile(), server.keyFile())).server().tls().redirectPort(),
        "no redirect listener by default");
  }

  @Test
  void serverTlsErrorsNameTheirKey() {
    assertEquals(List.of(
        "server.tls.keyFile: missing (expected: the PEM private key file of certFile)"),
        strings(errors("server: {tls: {certFile: \"%s\"}}\n".formatted(server.certFile()))));
    assertEquals(List.of(
        "server.tls.certFile: missing (expected: a PEM certificate file, set together with keyFile)",
        "server.tls.keyFile: missing (expected: the PEM private key file of certFile)"),
        strings(errors("server: {tls: {redirectPort: 80}}\n")));
    assertEquals(List.of("server.tls.certFile: \"" + dir.resolve("nope.pem") + "\" (cannot be read (no such file))"),
        strings(errors("server: {tls: {certFile: \"%s\", keyFile: \"%s\"}}\n"
            .formatted(dir.resolve("nope.pem"), server.keyFile()))));
    List<String> notPem = strings(errors("server: {tls: {certFile: \"%s\", keyFile: \"%s\"}}\n"
        .formatted(server.certFile(), garbage)));
    assertEquals(1, notPem.size());
    assertTrue(notPem.get(0).startsWith("server.tls.keyFile: \"" + garbage + "\" (holds no usable private key"),
        notPem.get(0));
    List<String> mismatch = strings(errors("server: {tls: {certFile: \"%s\", keyFile: \"%s\"}}\n"
        .formatted(server.certFile(), other.keyFile())));
    assertTrue(mismatch.get(0).startsWith("server.tls.keyFile: \"" + other.keyFile()
        + "\" (is not the key of the certificate in " + server.certFile()), mismatch.toString());
    assertEquals(List.of("server.tls.redirectPort: 70000 (expected: 0..65535)"),
        strings(errors("server: {tls: {certFile: \"%s\", keyFile: \"%s\", redirectPort: 70000}}\n"
            .formatted(server.certFile(), server.keyFile()))));
    assertEquals(List.of("server.tls.redirectPort: 8443 (expected: a port other than server.port)"),
        strings(errors("server: {port: 8443, tls: {certFile: \"%s\", keyFile: \"%s\", redirectPort: 8443}}\n"
            .formatted(server.certFile(), server.keyFile()))));
    List<ConfigError> unknown = errors("server: {tls: {cert: x}}\n");
    assertEquals("server.tls.cert", unknown.get(0).path());
    assertTrue(unknown.get(0).message().contains("expected one of: certFile, keyFile, redirectPort"),
        unknown.get(0).message());
  }

  @Test
  void httpsEndpointsAndServiceTlsBind() throws Exception {
    GatewayConfig c = parse("""
        services:
          s:
            endpoints: [{url: "https://127.0.0.1:8443"}, {url: "https://patients.internal"}]
            tls: {caFile: "%s", certFile: "%s", keyFile: "%s", serverName: patients.internal}
        """.formatted(pki.caFile(), other.certFile(), other.keyFile()));
    ServiceTlsConfig tls = c.services().get("s").tls();
    assertEquals(pki.caFile().toString(), tls.caFile());
    assertEquals("patients.internal", tls.serverName());
    assertTrue(tls.verifyHostname(), "hostname verification is on by default");
    Snapshot snapshot = Snapshot.compile(c);
    var endpoints = snapshot.services().get("s").endpoints();
    assertTrue(endpoints[0].tls());
    assertEquals(443, endpoints[1].port(), "https:// defaults to 443");
    assertEquals("patients.internal", endpoints[1].authority(), "no :443 in the Host header");
  }

  @Test
  void serviceTlsErrorsNameTheirKey() {
    List<String> e = strings(errors("""
        services:
          plain:
            endpoints: [{url: "http://127.0.0.1:1"}]
            tls: {verifyHostname: false}
          s:
            endpoints: [{url: "https://127.0.0.1:1"}]
            tls: {caFile: "%s", certFile: "%s", serverName: "bad name"}
          t:
            endpoints: [{url: "https://127.0.0.1:2"}]
            tls: {caFile: "%s", keyFile: "%s", certFile: "%s"}
        """.formatted(dir.resolve("missing-ca.pem"), other.certFile(), garbage, server.keyFile(), other.certFile())));
    assertEquals(6, e.size(), e.toString());
    assertEquals("services.plain.tls: set, but no endpoint is https:// (expected: https:// endpoint URLs)", e.get(0));
    assertEquals("services.s.tls.caFile: \"" + dir.resolve("missing-ca.pem") + "\" (cannot be read (no such file))",
        e.get(1));
    assertEquals("services.s.tls.keyFile: missing (expected: the PEM private key file of certFile)", e.get(2));
    assertEquals("services.s.tls.serverName: \"bad name\" (expected: a host name)", e.get(3));
    assertTrue(e.get(4).startsWith("services.t.tls.caFile: \"" + garbage + "\" (holds no certificate"), e.get(4));
    assertTrue(e.get(5).startsWith("services.t.tls.keyFile: \"" + server.keyFile() + "\" (is not the key of"),
        e.get(5));
  }

  @Test
  void gatewayValidateReportsTlsErrorsWithTheirKeys() throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, """
        server: {tls: {certFile: "%s", keyFile: "%s"}}
        services:
          s: {endpoints: [{url: "https://127.0.0.1:1"}], tls: {caFile: "%s"}}
        """.formatted(server.certFile(), other.keyFile(), garbage));
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cmd = new picocli.CommandLine(new dev.citizen.gateway.cli.Main());
    cmd.setOut(new java.io.PrintWriter(out, true));
    cmd.setErr(new java.io.PrintWriter(err, true));
    assertEquals(1, cmd.execute("validate", "--config", file.toString()));
    String[] lines = err.toString().strip().split("\\R");
    assertEquals(2, lines.length, err.toString());
    assertTrue(lines[0].startsWith(file + ": server.tls.keyFile: \"" + other.keyFile() + "\" (is not the key of"),
        lines[0]);
    assertTrue(lines[1].startsWith(file + ": services.s.tls.caFile: \"" + garbage + "\" (holds no certificate"),
        lines[1]);

    Files.writeString(file, "server: {tls: {certFile: \"%s\", keyFile: \"%s\"}}\n"
        .formatted(server.certFile(), server.keyFile()));
    assertEquals(0, cmd.execute("validate", "--config", file.toString()), err.toString());
  }

  private static GatewayConfig parse(String yaml) throws ConfigException {
    return new ConfigLoader(name -> null).parse(yaml, "test.yaml");
  }

  private static List<ConfigError> errors(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).errors();
  }

  private static List<String> strings(List<ConfigError> errors) {
    return errors.stream().map(e -> e.path() + ": " + e.message()).toList();
  }
}
