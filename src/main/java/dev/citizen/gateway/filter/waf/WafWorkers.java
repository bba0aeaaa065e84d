package dev.citizen.gateway.filter.waf;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * The threads that evaluate request bodies against the rule sets, one per core, shared by every
 * WAF route and kept across reloads (held by {@code server.EdgeState}). Created on first use, so a
 * gateway without a WAF route has none; closed with the gateway.
 *
 * <p>Not Vert.x's worker pool (20 threads, shared with config compiles, metrics scrapes, certificate
 * checks): evaluation is CPU work that never waits, so one thread per core keeps the cores busy,
 * and more would only switch between transactions, each holding its working state until it ends.
 */
public final class WafWorkers {
  static final String POOL_NAME = "citizen-waf";

  private final Vertx vertx;
  private final int threads;
  private WorkerExecutor executor;

  /** @param vertx null when only validating a config: then requests are evaluated where they arrive */
  public WafWorkers(Vertx vertx) {
    this(vertx, Runtime.getRuntime().availableProcessors());
  }

  WafWorkers(Vertx vertx, int threads) {
    this.vertx = vertx;
    this.threads = Math.max(1, threads);
  }

  /** The pool, created now if this is the first WAF route; null without a Vert.x instance. */
  synchronized WorkerExecutor executor() {
    if (executor == null && vertx != null) {
      executor = vertx.createSharedWorkerExecutor(POOL_NAME, threads);
    }
    return executor;
  }

  /** Closes the pool, if there is one (another gateway on the same Vert.x instance keeps it open). */
  public synchronized Future<Void> close() {
    WorkerExecutor e = executor;
    executor = null;
    return e == null ? Future.succeededFuture() : e.close();
  }

  /** How many threads the pool has (or will have). */
  public int threads() {
    return threads;
  }
}
