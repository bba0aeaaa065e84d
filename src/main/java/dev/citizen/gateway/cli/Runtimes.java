package dev.citizen.gateway.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Process-level plumbing shared by the commands: the Vert.x instance and shutdown. */
final class Runtimes {
  private Runtimes() {}

  static Vertx vertx() {
    // Native epoll when the platform has it: fewer syscalls and copies than NIO on Linux.
    return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
  }

  /** On SIGTERM/SIGINT: close the gateway, then Vert.x, within a bounded time. */
  static void closeOnShutdown(Vertx vertx, Supplier<Future<Void>> close) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      CountDownLatch done = new CountDownLatch(1);
      close.get().eventually(vertx::close).onComplete(ar -> done.countDown());
      try {
        done.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "gateway-shutdown"));
  }

  /** Keeps the command's thread alive; the event loops do the work. */
  static int waitForever() throws InterruptedException {
    new CountDownLatch(1).await();
    return 0;
  }
}
