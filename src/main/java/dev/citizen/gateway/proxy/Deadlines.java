package dev.citizen.gateway.proxy;

import io.vertx.core.Vertx;

/**
 * Response deadlines of one event loop, checked by one periodic tick instead of a timer per
 * request: arming and cancelling a Vert.x timer for every request cost about 3% of the proxy's
 * CPU, while a tick every {@value #TICK_MILLIS} ms that walks the in-flight calls costs nothing
 * noticeable. The price is precision: a deadline fires up to one tick late.
 *
 * <p>Not thread-safe: used only from its event loop.
 */
final class Deadlines {
  static final long TICK_MILLIS = 25;

  /** One armed deadline; an intrusive list node, so arming allocates only this. */
  static final class Deadline {
    private final long atNanos;
    private final Runnable onExpiry;
    private Deadline prev;
    private Deadline next;
    private boolean armed = true;

    private Deadline(long atNanos, Runnable onExpiry) {
      this.atNanos = atNanos;
      this.onExpiry = onExpiry;
    }
  }

  private final Vertx vertx;
  private final long timerId;
  private Deadline head;

  Deadlines(Vertx vertx) {
    this.vertx = vertx;
    this.timerId = vertx.setPeriodic(TICK_MILLIS, id -> expire(System.nanoTime()));
  }

  Deadline arm(long timeoutMillis, Runnable onExpiry) {
    Deadline d = new Deadline(System.nanoTime() + timeoutMillis * 1_000_000L, onExpiry);
    d.next = head;
    if (head != null) {
      head.prev = d;
    }
    head = d;
    return d;
  }

  void cancel(Deadline d) {
    if (d == null || !d.armed) {
      return;
    }
    d.armed = false;
    if (d.prev != null) {
      d.prev.next = d.next;
    } else {
      head = d.next;
    }
    if (d.next != null) {
      d.next.prev = d.prev;
    }
    d.prev = null;
    d.next = null;
  }

  void expire(long nowNanos) {
    Deadline d = head;
    while (d != null) {
      Deadline next = d.next;
      if (nowNanos - d.atNanos >= 0) {
        cancel(d);
        d.onExpiry.run();
      }
      d = next;
    }
  }

  void close() {
    vertx.cancelTimer(timerId);
  }
}
