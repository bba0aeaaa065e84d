package dev.citizen.gateway.server;

import dev.citizen.gateway.config.ConfigError;
import dev.citizen.gateway.config.ConfigException;
import dev.citizen.gateway.config.ConfigLoader;
import dev.citizen.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the config file and applies valid changes: read, parse, validate and compile the whole
 * new config off the event loop, then swap one reference. An invalid change is logged with the
 * path of every bad key and the old config keeps serving.
 *
 * <p>It polls the file content (default every second) instead of using inotify, because editors
 * and Kubernetes ConfigMaps replace files by rename or symlink swap, which inotify on the file
 * misses; comparing contents also ignores touches that change nothing.
 */
final class ConfigReloader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

  private final Vertx vertx;
  private final Path file;
  private final ConfigLoader loader;
  private final AtomicReference<Snapshot> current;
  private final Consumer<Snapshot> onApplied;
  /** Told when a changed file is rejected (for the reload metrics). */
  private final Runnable onRejected;
  private byte[] lastSeen;
  private long timerId = -1;
  private boolean busy;

  ConfigReloader(Vertx vertx, Path file, ConfigLoader loader, AtomicReference<Snapshot> current,
      byte[] initialContent, Consumer<Snapshot> onApplied, Runnable onRejected) {
    this.vertx = vertx;
    this.file = file;
    this.loader = loader;
    this.current = current;
    this.lastSeen = initialContent;
    this.onApplied = onApplied;
    this.onRejected = onRejected;
  }

  void start(long intervalMillis) {
    timerId = vertx.setPeriodic(intervalMillis, id -> check());
  }

  void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  private void check() {
    if (busy) {
      return;
    }
    busy = true;
    vertx.fileSystem().readFile(file.toString()).onComplete(ar -> {
      if (ar.failed()) {
        busy = false; // the file may be mid-replacement; the next tick tries again
        return;
      }
      byte[] content = ar.result().getBytes();
      if (Arrays.equals(content, lastSeen)) {
        busy = false;
        return;
      }
      lastSeen = content;
      vertx.<Snapshot>executeBlocking(() -> compile(content)).onComplete(res -> {
        busy = false;
        if (res.succeeded()) {
          apply(res.result());
        } else if (res.cause() instanceof ConfigException e) {
          for (ConfigError error : e.errors()) {
            LOG.error("config reload rejected, old config keeps serving: {}: {}", file, error);
          }
          onRejected.run();
        } else {
          LOG.error("config reload failed, old config keeps serving: {}", file, res.cause());
          onRejected.run();
        }
      });
    });
  }

  private Snapshot compile(byte[] content) throws ConfigException {
    GatewayConfig config = loader.parse(new String(content, java.nio.charset.StandardCharsets.UTF_8),
        file.toString());
    return Snapshot.compile(config, current.get());
  }

  private void apply(Snapshot next) {
    Snapshot old = current.get();
    var oldServer = old.config().server();
    var newServer = next.config().server();
    if (!oldServer.host().equals(newServer.host()) || !oldServer.port().equals(newServer.port())
        || !oldServer.timeouts().idle().equals(newServer.timeouts().idle())
        || !oldServer.reusePort().equals(newServer.reusePort())) {
      LOG.warn("server.host, server.port, server.reusePort and server.timeouts.idle apply after a restart; "
          + "the listener keeps its current settings");
    }
    var oldTls = oldServer.tls();
    var newTls = newServer.tls();
    if ((oldTls == null) != (newTls == null)
        || (oldTls != null && !java.util.Objects.equals(oldTls.redirectPort(), newTls.redirectPort()))) {
      LOG.warn("server.tls on or off and server.tls.redirectPort apply after a restart; the listeners keep "
          + "their current settings (certFile and keyFile apply live)");
    }
    var oldAdmin = old.config().admin();
    var newAdmin = next.config().admin();
    if (!oldAdmin.host().equals(newAdmin.host()) || !oldAdmin.port().equals(newAdmin.port())) {
      LOG.warn("admin.host and admin.port apply after a restart");
    }
    if (!java.util.Objects.equals(oldAdmin.token(), newAdmin.token())) {
      LOG.info("admin.token changed: the admin API now takes the new token{}", newAdmin.token() == null
          ? " (none in the config: " + dev.citizen.gateway.admin.AdminToken.ENV + " if set, else locked)" : "");
    }
    if (!old.config().observability().equals(next.config().observability())) {
      // Metrics, access log and tracing are built once at start (exporters, writer threads).
      LOG.warn("observability settings apply after a restart; the running ones stay as they are");
    }
    current.set(next);
    LOG.info("config reloaded from {}: {} routes, {} services", file, next.router().routes().size(),
        next.services().size());
    onApplied.accept(next);
  }
}
