package dev.citizen.gateway.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;

/** Starts the three demo services for {@code ./gateway demo}. */
public final class DemoServices {

  /** One running demo service: its name, the port it really listens on, and its server. */
  public record Started(String name, int port, HttpServer server) {}

  private DemoServices() {}

  /**
   * Deploys the patients, appointments and billing services on 127.0.0.1, one verticle (and so
   * one event loop) each; a port of 0 takes a free ephemeral port.
   *
   * <p>Succeeds with the three services in that order once all listen. When any fails (a port in
   * use, say), the ones that did start are undeployed again before the future fails, so a failed
   * demo leaves no port bound. Closing {@code vertx} stops them all.
   */
  public static Future<List<Started>> startAll(Vertx vertx, int patientsPort,
      int appointmentsPort, int billingPort) {
    List<DemoService> services = List.of(
        new PatientsService(patientsPort),
        new AppointmentsService(appointmentsPort),
        new BillingService(billingPort));
    List<Future<String>> deployments = services.stream().map(vertx::deployVerticle).toList();
    // join, not all: wait for every deployment to settle, so the rollback sees which succeeded.
    return Future.join(deployments).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(services.stream()
            .map(s -> new Started(s.name(), s.server().actualPort(), s.server()))
            .toList());
      }
      List<Future<Void>> undeployments = deployments.stream()
          .filter(Future::succeeded)
          .map(d -> vertx.undeploy(d.result()))
          .toList();
      return Future.join(undeployments).transform(ignored -> Future.failedFuture(ar.cause()));
    });
  }
}
