package dev.citizen.gateway.cli;

import dev.citizen.gateway.server.Gateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Process-level plumbing shared by the commands: the Vert.x instance and shutdown. */
final class Runtimes {
  private static final Logger LOG = LoggerFactory.getLogger(Runtimes.class);
  /** Beyond drainDelay + drainTimeout, for closing Vert.x; more means something hangs. */
  private static final Duration DRAIN_MARGIN = Duration.ofSeconds(10);

  private Runtimes() {}

  static Vertx vertx() {
    // Native epoll when the platform has it: fewer syscalls and copies than NIO on Linux.
    return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
  }

  /** On SIGTERM/SIGINT: close the gateway, then Vert.x, within a bounded time. */
  static void closeOnShutdown(Vertx vertx, Supplier<Future<Void>> close) {
    closeOnShutdown(vertx, close, () -> false);
  }

  /** A shutdown hook that closes the gateway, then Vert.x, unless {@code handled} says it is done. */
  private static void closeOnShutdown(Vertx vertx, Supplier<Future<Void>> close, BooleanSupplier handled) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (handled.getAsBoolean()) {
        return;
      }
      CountDownLatch done = new CountDownLatch(1);
      close.get().eventually(vertx::close).onComplete(ar -> done.countDown());
      try {
        done.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "gateway-shutdown"));
  }

  /**
   * On SIGTERM or SIGINT: {@link Gateway#drain}, close Vert.x, exit with status 0. The JVM's own
   * handling of these signals runs shutdown hooks and exits with 143 or 130, which systemd and
   * orchestrators report as a failure, and it gives no good place to wait out a drain. A second
   * signal during the drain exits at once (an impatient Ctrl-C). Other ways the JVM ends (SIGHUP,
   * a failed signal registration) still close the gateway, at once, through a shutdown hook.
   */
  static void drainOnSignal(Vertx vertx, Gateway gateway) {
    AtomicBoolean signalled = new AtomicBoolean();
    closeOnShutdown(vertx, gateway::close, signalled::get);
    sun.misc.SignalHandler handler = signal -> {
      if (!signalled.compareAndSet(false, true)) {
        LOG.warn("SIG{} again while draining: exiting now", signal.getName());
        System.exit(0);
        return;
      }
      // Signal handlers must return quickly; the drain runs on its own thread.
      Thread drain = new Thread(() -> drainAndExit(vertx, gateway, signal.getName()), "gateway-drain");
      drain.start();
    };
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), handler);
      } catch (IllegalArgumentException e) {
        LOG.warn("cannot handle SIG{} ({}): it will close the gateway without draining", name, e.getMessage());
      }
    }
  }

  private static void drainAndExit(Vertx vertx, Gateway gateway, String signal) {
    var settings = gateway.config().server().drain();
    long bound = settings.delay().plus(settings.timeout()).plus(DRAIN_MARGIN).toMillis();
    LOG.info("SIG{} received: draining", signal);
    CountDownLatch done = new CountDownLatch(1);
    gateway.drain().eventually(vertx::close).onComplete(ar -> done.countDown());
    boolean inTime;
    try {
      inTime = done.await(bound, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      inTime = false;
    }
    if (!inTime) {
      LOG.error("the drain did not end within {} ms; exiting anyway", bound);
    }
    LOG.info("exiting");
    System.exit(inTime ? 0 : 1);
  }

  /** Keeps the command's thread alive; the event loops do the work. */
  static int waitForever() throws InterruptedException {
    new CountDownLatch(1).await();
    return 0;
  }
}
