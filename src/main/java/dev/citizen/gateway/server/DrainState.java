package dev.citizen.gateway.server;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the drain needs to know about the public listener, shared by the gateway and its event
 * loops: whether a drain is on (then every response says {@code Connection: close}), how many
 * client connections are open (for the drain's log lines) and the listening sockets.
 */
final class DrainState {
  private volatile boolean draining;
  private final AtomicInteger open = new AtomicInteger();
  /**
   * The listening sockets, learnt from accepted connections (their parent channel): Vert.x does
   * not expose them, and the drain must close them itself before it shuts the servers down (see
   * {@link Gateway#drain}).
   */
  private final Set<Channel> listeners = ConcurrentHashMap.newKeySet();

  boolean draining() {
    return draining;
  }

  void startDraining() {
    draining = true;
  }

  int openConnections() {
    return open.get();
  }

  Set<Channel> listeners() {
    return listeners;
  }

  /** Called for every accepted connection, on its event loop. */
  void track(HttpConnection connection) {
    Channel ch = GuardInstaller.channel(connection);
    if (ch == null) {
      return;
    }
    if (ch.parent() != null) {
      listeners.add(ch.parent());
    }
    open.incrementAndGet();
    ch.closeFuture().addListener(f -> open.decrementAndGet());
  }
}
