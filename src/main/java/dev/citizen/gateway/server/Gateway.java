package dev.citizen.gateway.server;

import dev.citizen.gateway.admin.AdminServer;
import dev.citizen.gateway.config.ConfigException;
import dev.citizen.gateway.config.ConfigLoader;
import dev.citizen.gateway.config.GatewayConfig;
import dev.citizen.gateway.upstream.HealthChecker;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the public listener on every event loop, the admin listener, the active
 * health checker and, when it was started from a file, the config reloader.
 *
 * <p>Lifecycle: {@link #start} (load, compile, bind) → serve → {@link #close}. Close works after a
 * partial start too.
 */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final AtomicReference<Snapshot> current;
  private final List<String> deployments = new ArrayList<>();
  private volatile boolean ready;
  private AdminServer admin;
  private HealthChecker healthChecker;
  private ConfigReloader reloader;
  private int port;

  private Gateway(Vertx vertx, Snapshot initial) {
    this.vertx = vertx;
    this.current = new AtomicReference<>(initial);
  }

  /** Starts from a config file and watches it for changes. */
  public static Future<Gateway> start(Vertx vertx, Path file, ConfigLoader loader, long reloadIntervalMillis) {
    byte[] content;
    Snapshot snapshot;
    try {
      content = Files.readAllBytes(file);
      snapshot = Snapshot.compile(loader.parse(new String(content, StandardCharsets.UTF_8), file.toString()));
    } catch (IOException e) {
      return Future.failedFuture(new IllegalArgumentException("cannot read " + file + ": " + e.getMessage()));
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    Gateway gateway = new Gateway(vertx, snapshot);
    return gateway.bind().map(g -> {
      g.reloader = new ConfigReloader(vertx, file, loader, g.current, content, s -> g.healthChecker.refresh());
      g.reloader.start(reloadIntervalMillis);
      return g;
    });
  }

  /** Starts from a config already in memory (tests, demo); no file is watched. */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config) {
    try {
      return new Gateway(vertx, Snapshot.compile(config)).bind();
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Gateway> bind() {
    GatewayConfig config = current.get().config();
    admin = new AdminServer(vertx, config.admin(), () -> ready, () -> current.get().services());
    healthChecker = new HealthChecker(() -> current.get().services());
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    // One deployment of N instances: Vert.x spreads accepted connections over them, and with
    // port 0 all instances of one deployment share the one ephemeral port.
    List<GatewayVerticle> verticles = new java.util.concurrent.CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
          GatewayVerticle v = new GatewayVerticle(current::get, config.server().port());
          verticles.add(v);
          return v;
        }, new DeploymentOptions().setInstances(instances))
        .compose(id -> {
          deployments.add(id);
          port = verticles.get(0).actualPort();
          return vertx.deployVerticle(healthChecker);
        })
        .compose(id -> {
          deployments.add(id); // undeployed by close() like the listeners
          return Future.succeededFuture();
        })
        .compose(v -> admin.start())
        .map(s -> {
          ready = true;
          LOG.info("gateway listening on {}:{} ({} event loops, {} transport), admin on {}:{}",
              config.server().host(), port, instances, vertx.isNativeTransportEnabled() ? "epoll" : "nio",
              config.admin().host(), admin.actualPort());
          return this;
        })
        .recover(e -> close().transform(x -> Future.failedFuture(e)));
  }

  public int port() {
    return port;
  }

  public int adminPort() {
    return admin.actualPort();
  }

  public boolean isReady() {
    return ready;
  }

  /** The config now serving. */
  public GatewayConfig config() {
    return current.get().config();
  }

  public Future<Void> close() {
    ready = false;
    if (reloader != null) {
      reloader.stop();
    }
    List<Future<Void>> all = new ArrayList<>();
    for (String id : deployments) {
      all.add(vertx.undeploy(id));
    }
    if (admin != null) {
      all.add(admin.close());
    }
    return Future.join(all).mapEmpty();
  }
}
