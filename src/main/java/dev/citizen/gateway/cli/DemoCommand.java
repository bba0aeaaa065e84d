package dev.citizen.gateway.cli;

import dev.citizen.gateway.admin.AdminToken;
import dev.citizen.gateway.config.ConfigLoader;
import dev.citizen.gateway.demo.DemoServices;
import dev.citizen.gateway.server.Gateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway demo}: the gateway with its bundled demo config in front of three small demo
 * services (patients, appointments, billing), all in this one process, nothing else needed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start the gateway with a bundled demo config in front of three demo services of a "
        + "healthcare suite (patients, appointments, billing), and print URLs to try.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "8080", description = "Gateway port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--admin-port", defaultValue = "9901", description = "Admin port (default: ${DEFAULT-VALUE})")
  int adminPort;

  @Option(names = "--services-port", defaultValue = "9001",
      description = "First of three consecutive ports for the demo services; 0 = ephemeral (default: ${DEFAULT-VALUE})")
  int servicesPort;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Runtimes.vertx();
    PrintWriter out = spec.commandLine().getOut();
    String adminToken = System.getenv(AdminToken.ENV);
    boolean randomToken = adminToken == null || adminToken.isEmpty();
    if (randomToken) {
      adminToken = randomToken();
    }
    try {
      Demo demo = start(vertx, port, adminPort, servicesPort, adminToken).await();
      var services = demo.services();
      Gateway gateway = demo.gateway();
      Runtimes.closeOnShutdown(vertx, gateway::close);
      String base = "http://127.0.0.1:" + gateway.port();
      out.println();
      out.println("Citizen Gateway demo is running.");
      for (var s : services) {
        out.printf("  service %-13s http://127.0.0.1:%d%n", s.name(), s.port());
      }
      out.println("  gateway               " + base);
      String admin = "http://127.0.0.1:" + gateway.adminPort();
      out.println("  admin                 " + admin + "/health/ready");
      out.println("  admin token           " + adminToken + (randomToken
          ? "   (new for every run; set " + AdminToken.ENV + " to choose it)" : "   (from " + AdminToken.ENV + ")"));
      out.println();
      out.println("Try:");
      out.println("  curl -i " + base + "/api/patients");
      out.println("  curl -i " + base + "/api/patients/p-1001");
      out.println("  curl -i -X POST -H 'Content-Type: application/json' "
          + "-d '{\"name\":\"Ada Example\",\"birthDate\":\"1990-04-01\"}' " + base + "/api/patients");
      out.println("  curl -i " + base + "/api/appointments?patientId=p-1001");
      out.println("  curl -i " + base + "/api/invoices");
      out.println("  curl -i " + base + "/openapi/patients/openapi.json");
      out.println("  curl -i " + base + "/api/nowhere          # 404 problem+json");
      out.println("  curl -s -H 'Authorization: Bearer " + adminToken + "' " + admin + "/admin/services");
      out.println("  curl -s -H 'Authorization: Bearer " + adminToken + "' " + admin + "/metrics");
      out.println();
      out.println("Stop with Ctrl-C.");
      out.flush();
      return Runtimes.waitForever();
    } catch (Exception e) {
      spec.commandLine().getErr().println("demo failed to start: " + e.getMessage());
      vertx.close();
      return 1;
    }
  }

  /** The running demo: its three services and the gateway in front of them. */
  record Demo(List<DemoServices.Started> services, Gateway gateway) {}

  /** A fresh admin token: 32 random bytes, base64url. */
  static String randomToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Starts the demo services (on {@code servicesPort} and the two ports after it; 0 = ephemeral),
   * then the gateway from the bundled config pointed at them, its admin API locked with
   * {@code adminToken}.
   */
  static Future<Demo> start(Vertx vertx, int port, int adminPort, int servicesPort, String adminToken) {
    int p = servicesPort;
    return DemoServices.startAll(vertx, p, p == 0 ? 0 : p + 1, p == 0 ? 0 : p + 2).compose(services -> {
      Map<String, String> vars = Map.of(
          "DEMO_GATEWAY_PORT", String.valueOf(port),
          "DEMO_ADMIN_PORT", String.valueOf(adminPort),
          "DEMO_ADMIN_TOKEN", adminToken,
          "DEMO_PATIENTS_PORT", String.valueOf(services.get(0).port()),
          "DEMO_APPOINTMENTS_PORT", String.valueOf(services.get(1).port()),
          "DEMO_BILLING_PORT", String.valueOf(services.get(2).port()));
      try {
        var config = new ConfigLoader(vars::get).parse(bundledConfig(), "demo/gateway.yaml");
        return Gateway.start(vertx, config).map(gateway -> new Demo(services, gateway));
      } catch (IOException | dev.citizen.gateway.config.ConfigException e) {
        return Future.failedFuture(e);
      }
    });
  }

  private static String bundledConfig() throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/gateway.yaml")) {
      if (in == null) {
        throw new IOException("demo/gateway.yaml is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
