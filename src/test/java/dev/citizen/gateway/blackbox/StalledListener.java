package dev.citizen.gateway.blackbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port where a TCP connect neither succeeds nor is refused: a listener that never
 * accepts, with its accept queue filled, so Linux drops further SYNs. For connect timeouts without
 * leaving 127.0.0.1.
 */
final class StalledListener implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> fillers = new ArrayList<>();
  /** False when this OS answered every connect: then the port is not stalled and tests should skip. */
  final boolean stalled;

  StalledListener() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    boolean saturated = false;
    for (int i = 0; i < 16 && !saturated; i++) {
      Socket s = new Socket();
      fillers.add(s);
      try {
        s.connect(server.getLocalSocketAddress(), 300);
      } catch (SocketTimeoutException e) {
        saturated = true;
      }
    }
    stalled = saturated;
  }

  int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    for (Socket s : fillers) {
      s.close();
    }
    server.close();
  }
}
