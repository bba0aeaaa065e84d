package dev.citizen.gateway.server;

import dev.citizen.gateway.admin.AdminServer;
import dev.citizen.gateway.admin.AdminToken;
import dev.citizen.gateway.config.ConfigError;
import dev.citizen.gateway.config.ConfigException;
import dev.citizen.gateway.config.ConfigLoader;
import dev.citizen.gateway.config.Durations;
import dev.citizen.gateway.config.GatewayConfig;
import dev.citizen.gateway.config.ServerConfig;
import dev.citizen.gateway.config.ServerDrainConfig;
import dev.citizen.gateway.config.ServerTlsConfig;
import dev.citizen.gateway.proxy.Via;
import dev.citizen.gateway.tls.PemKeyPair;
import dev.citizen.gateway.tls.TlsFileException;
import io.netty.channel.Channel;
import dev.citizen.gateway.upstream.HealthChecker;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the public listener on every event loop, the admin listener, the active
 * health checker and, when it was started from a file, the config reloader.
 *
 * <p>Lifecycle: {@link #start} (load, compile, bind) → serve → {@link #drain} (graceful, for
 * SIGTERM) or {@link #close} (at once). Close works after a partial start too.
 */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  /** Linux: whether a closing listener may hand its queued connections to another socket on the port. */
  static final Path TCP_MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
  /** How often the TLS files are checked when no config file is watched (in-memory start). */
  private static final long DEFAULT_CERT_CHECK_MILLIS = 1000;

  static {
    ServerTls.refuseClientRenegotiation();
  }

  private final Vertx vertx;
  private final AtomicReference<Snapshot> current;
  private final List<String> deployments = new ArrayList<>();
  private final List<GatewayVerticle> verticles = new CopyOnWriteArrayList<>();
  private final DrainState drainState = new DrainState();
  /** This instance's Via entry, the same across reloads: a request that comes back to it is a loop. */
  private final Via via = Via.random();
  private volatile boolean ready;
  private Future<Void> drained;
  private Future<Void> closed;
  private AdminServer admin;
  private HealthChecker healthChecker;
  private Observability observability;
  private ConfigReloader reloader;
  private CertificateWatcher certificates;
  private RedirectServer redirect;
  private final long certCheckMillis;
  private int port;

  private Gateway(Vertx vertx, Snapshot initial, long certCheckMillis) {
    this.vertx = vertx;
    this.current = new AtomicReference<>(initial);
    this.certCheckMillis = certCheckMillis;
  }

  /** Starts from a config file and watches it for changes. */
  public static Future<Gateway> start(Vertx vertx, Path file, ConfigLoader loader, long reloadIntervalMillis) {
    byte[] content;
    Snapshot snapshot;
    try {
      content = Files.readAllBytes(file);
      snapshot = Snapshot.compile(loader.parse(new String(content, StandardCharsets.UTF_8), file.toString()), null,
          new EdgeState(vertx));
    } catch (IOException e) {
      return Future.failedFuture(new IllegalArgumentException("cannot read " + file + ": " + e.getMessage()));
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    Gateway gateway = new Gateway(vertx, snapshot, reloadIntervalMillis);
    return gateway.bind().map(g -> {
      g.reloader = new ConfigReloader(vertx, file, loader, g.current, content, s -> {
        g.healthChecker.refresh();
        g.observability.configReloaded(true);
      }, () -> g.observability.configReloaded(false));
      g.reloader.start(reloadIntervalMillis);
      return g;
    });
  }

  /** Starts from a config already in memory (tests, demo); no file is watched. */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config) {
    return start(vertx, config, new dev.citizen.gateway.filter.waf.WafRuleSets());
  }

  /** Starts from a config in memory with the given WAF rule-set compiler (tests of the WAF filter). */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, dev.citizen.gateway.filter.waf.WafRuleSets waf) {
    try {
      return new Gateway(vertx, Snapshot.compile(config, null, new EdgeState(vertx, waf)), DEFAULT_CERT_CHECK_MILLIS)
          .bind();
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Gateway> bind() {
    GatewayConfig config = current.get().config();
    ServerConfig server = config.server();
    PemKeyPair tls;
    try {
      tls = readCertificate(server.tls());
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    observability = new Observability(vertx, config.observability(), () -> current.get().services());
    admin = new AdminServer(vertx, config.admin(), new AdminToken(() -> current.get().config().admin().token(),
        System.getenv(AdminToken.ENV)), () -> ready, () -> current.get().services(), observability.adminRoutes(),
        current.get().edge().bans());
    healthChecker = new HealthChecker(() -> current.get().services());
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    // Only the native transports pass SO_REUSEPORT on; NIO would silently bind without it.
    boolean reusePort = server.reusePort() && vertx.isNativeTransportEnabled();
    // N instances: Vert.x spreads accepted connections over them. Without SO_REUSEPORT Vert.x
    // shares one socket among a deployment's instances, port 0 included. With it each instance
    // binds a socket of its own, so with port 0 each would pick a different ephemeral port: the
    // first instance binds, and the others then join it on its port.
    boolean twoSteps = reusePort && server.port() == 0 && instances > 1;
    return deployListeners(twoSteps ? 1 : instances, server.port(), reusePort, tls)
        .compose(v -> {
          port = verticles.get(0).actualPort();
          return twoSteps ? deployListeners(instances - 1, port, reusePort, tls) : Future.succeededFuture();
        })
        .compose(v -> startTlsExtras(server, tls, reusePort))
        .compose(v -> vertx.deployVerticle(healthChecker))
        .compose(id -> {
          deployments.add(id); // undeployed by close() like the listeners
          return Future.succeededFuture();
        })
        .compose(v -> admin.start())
        .map(s -> {
          ready = true;
          LOG.info("gateway listening on {}:{} ({}, {} event loops, {} transport, reusePort {}), admin on {}:{}",
              server.host(), port, tls == null ? "HTTP/1.1" : "HTTPS, h2 and http/1.1" + (redirect == null ? ""
                  : ", HTTP redirects on port " + redirect.actualPort()),
              instances, vertx.isNativeTransportEnabled() ? "epoll" : "nio",
              reusePort ? "on" : "off", config.admin().host(), admin.actualPort());
          if (server.reusePort() && !reusePort) {
            LOG.warn("server.reusePort: the native transport is unavailable ({}), so the port cannot be "
                + "shared: a second gateway process cannot take over without downtime",
                String.valueOf(vertx.unavailableNativeTransportCause()));
          } else if (reusePort && tcpMigrateReqOff(TCP_MIGRATE_REQ)) {
            LOG.warn("net.ipv4.tcp_migrate_req is 0: when this process closes its listener, connections "
                + "still in its accept queue are reset instead of handed to the process that shares the "
                + "port; set it to 1 for zero-downtime restarts (sysctl -w net.ipv4.tcp_migrate_req=1)");
          }
          return this;
        })
        .recover(e -> close().transform(x -> Future.failedFuture(e)));
  }

  /** The listener's certificate, read and checked; null without {@code server.tls}. */
  private static PemKeyPair readCertificate(ServerTlsConfig tls) throws ConfigException {
    if (tls == null) {
      return null;
    }
    try {
      PemKeyPair pair = PemKeyPair.read(Path.of(tls.certFile()), Path.of(tls.keyFile()));
      LOG.info("server.tls: serving the certificate from {}: {}", tls.certFile(), pair.describe());
      CertificateWatcher.warnIfExpired(pair);
      return pair;
    } catch (TlsFileException e) {
      boolean inKey = e.part() == TlsFileException.Part.KEY;
      throw new ConfigException(List.of(new ConfigError("server.tls." + (inKey ? "keyFile" : "certFile"),
          "\"" + e.file() + "\" (" + e.problem() + ")")));
    }
  }

  /** With TLS: the certificate watcher and, when configured, the redirect listener. */
  private Future<Void> startTlsExtras(ServerConfig server, PemKeyPair tls, boolean reusePort) {
    if (tls == null) {
      return Future.succeededFuture();
    }
    certificates = new CertificateWatcher(vertx, () -> current.get().config().server().tls(), tls, pair -> {
      List<Future<Boolean>> all = new ArrayList<>();
      for (GatewayVerticle v : verticles) {
        all.add(v.updateCertificate(pair));
      }
      return Future.all(all);
    });
    certificates.start(certCheckMillis);
    if (server.tls().redirectPort() == null) {
      return Future.succeededFuture();
    }
    redirect = new RedirectServer(vertx, server, () -> port, reusePort);
    return redirect.start().mapEmpty();
  }

  private Future<Void> deployListeners(int instances, int port, boolean reusePort, PemKeyPair tls) {
    return vertx.deployVerticle(() -> {
          GatewayVerticle v = new GatewayVerticle(current::get, port, reusePort, drainState,
              observability.observers(), tls, via);
          verticles.add(v);
          return v;
        }, new DeploymentOptions().setInstances(instances))
        .map(id -> {
          deployments.add(id);
          return null;
        });
  }

  public int port() {
    return port;
  }

  public int adminPort() {
    return admin.actualPort();
  }

  /** The bound port of the plain-HTTP redirect listener ({@code server.tls.redirectPort}); -1 without one. */
  public int redirectPort() {
    return redirect == null ? -1 : redirect.actualPort();
  }

  public boolean isReady() {
    return ready;
  }

  /** The config now serving. */
  public GatewayConfig config() {
    return current.get().config();
  }

  /**
   * Whether {@code file} (the tcp_migrate_req sysctl) says 0; false when it is absent or
   * unreadable (not Linux, an older kernel, a sandbox), since nothing can be said then.
   */
  static boolean tcpMigrateReqOff(Path file) {
    try {
      return Files.readString(file).trim().equals("0");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Whether {@link #drain} has started. */
  public boolean isDraining() {
    return drainState.draining();
  }

  /**
   * Drains gracefully, then closes; calling it again returns the same future. The steps, with the
   * settings of {@code server.drain} in the config now serving:
   *
   * <ol>
   *   <li>at once: readiness turns 503 and every HTTP/1 response says {@code Connection: close}
   *       (so keep-alive clients move to another connection, and their next request does not race
   *       the close); the config file is no longer watched;
   *   <li>for {@code delay}: new connections are still served, so a load balancer polling readiness
   *       takes this instance out before it stops accepting;
   *   <li>then the listener closes, idle connections close, and busy ones close after their
   *       current response; after {@code timeout} whatever is left (slow requests, WebSocket
   *       tunnels) is closed;
   *   <li>then everything else closes as in {@link #close}.
   * </ol>
   */
  public synchronized Future<Void> drain() {
    if (drained != null) {
      return drained;
    }
    ServerDrainConfig settings = current.get().config().server().drain();
    ready = false;
    drainState.startDraining();
    if (reloader != null) {
      reloader.stop();
    }
    if (certificates != null) {
      certificates.stop();
    }
    LOG.info("drain: started; readiness is 503, responses say Connection: close, new connections are "
        + "served for {} more ({} open)", Durations.format(settings.delay()), drainState.openConnections());
    Promise<Void> delayed = Promise.promise();
    if (settings.delay().toMillis() > 0) {
      vertx.setTimer(settings.delay().toMillis(), id -> delayed.complete());
    } else {
      delayed.complete();
    }
    drained = delayed.future()
        .compose(v -> closeListeners())
        .compose(v -> {
          LOG.info("drain: listener closed; waiting up to {} for {} open connections",
              Durations.format(settings.timeout()), drainState.openConnections());
          // Vert.x closes what is left at the timeout; this only says so in the log.
          long timer = vertx.setTimer(Math.max(1, settings.timeout().toMillis()), id -> LOG.info(
              "drain: timeout of {} passed; closing the {} connections left",
              Durations.format(settings.timeout()), drainState.openConnections()));
          List<Future<Void>> all = new ArrayList<>();
          for (GatewayVerticle verticle : verticles) {
            all.add(verticle.shutdown(settings.timeout()));
          }
          return Future.join(all).onComplete(ar -> vertx.cancelTimer(timer));
        })
        .transform(ar -> {
          if (ar.succeeded()) {
            LOG.info("drain: all connections closed");
          } else {
            LOG.warn("drain: {}; closing", String.valueOf(ar.cause()));
          }
          return close();
        })
        .onComplete(ar -> LOG.info("drain: done"));
    return drained;
  }

  /**
   * Closes the listening sockets themselves before the servers shut down. Vert.x's shutdown takes
   * each event loop off the listener one by one and closes the socket only after the last; a
   * connection accepted in between, for a loop already taken off, is closed unanswered. With the
   * socket closed first, nothing new is accepted, and what the kernel still had queued moves to
   * another process on the same port (SO_REUSEPORT with tcp_migrate_req) or is refused. The
   * sockets are known from accepted connections; with none accepted yet, Vert.x closes them.
   */
  private Future<Void> closeListeners() {
    List<Future<Void>> all = new ArrayList<>();
    if (redirect != null) {
      all.add(redirect.close());
    }
    for (Channel listener : drainState.listeners()) {
      Promise<Void> closed = Promise.promise();
      listener.close().addListener(f -> closed.complete());
      all.add(closed.future());
    }
    return Future.join(all).mapEmpty();
  }

  /** Closes at once (open connections too); calling it again, or after a drain, returns the same future. */
  public synchronized Future<Void> close() {
    if (closed != null) {
      return closed;
    }
    ready = false;
    if (reloader != null) {
      reloader.stop();
    }
    if (certificates != null) {
      certificates.stop();
    }
    List<Future<Void>> all = new ArrayList<>();
    for (String id : deployments) {
      all.add(vertx.undeploy(id));
    }
    if (redirect != null) {
      all.add(redirect.close());
    }
    if (admin != null) {
      all.add(admin.close());
    }
    // The WAF's threads once no listener hands them work (a Vert.x instance shared with other
    // gateways, as in tests, would keep them); observers flush last: the requests that ended
    // while the listeners closed are in it.
    closed = Future.join(all)
        .transform(ar -> current.get().edge().wafWorkers().close())
        .transform(ar -> observability == null ? Future.<Void>succeededFuture() : observability.close());
    return closed;
  }
}
