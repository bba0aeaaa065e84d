package dev.citizen.gateway.filter.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WafWorkersTest {

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void oneLazyPoolNamedForTheWafThatClosesWithTheGateway() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      WafWorkers workers = new WafWorkers(vertx, 2);
      WorkerExecutor pool = workers.executor();
      assertSame(pool, workers.executor(), "one pool for every WAF route");
      String thread = await(pool.executeBlocking(() -> Thread.currentThread().getName(), false));
      assertTrue(thread.startsWith(WafWorkers.POOL_NAME + "-"), thread);

      await(workers.close());
      // A closed pool takes no more work.
      assertThrows(RejectedExecutionException.class, () -> pool.executeBlocking(() -> 1, false));
      await(workers.close()); // again: nothing to close
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void withoutVertxRequestsAreEvaluatedWhereTheyArrive() throws Exception {
    WafWorkers workers = new WafWorkers(null);
    assertNull(workers.executor());
    assertEquals(Runtime.getRuntime().availableProcessors(), workers.threads());
    await(workers.close());
  }
}
