package dev.citizen.gateway.client;

import io.vertx.core.Future;
import java.util.List;

/**
 * The banned client addresses, shared by every event loop and kept across config reloads.
 * {@link InMemoryBans} keeps them in this process; a cluster would put a shared store (Redis)
 * behind the same interface, keeping a local copy for {@link #isBanned} so the request path never
 * waits on the network, and sending failures and lifts to the store in the background.
 */
public interface Bans {

  /**
   * Whether {@code address} is banned now. Called for every request before routing: must not
   * block, and should cost no more than a volatile read while nothing is banned.
   */
  boolean isBanned(String address);

  /** Counts a failed authentication by {@code address}, and bans it when {@code policy} says so. Never blocks. */
  void authenticationFailed(String address, BanPolicy policy);

  /** The bans in force, oldest first. */
  Future<List<Ban>> list();

  /** Lifts the ban on {@code address} (as {@link IpAddress#toString} writes it); false when there was none. */
  Future<Boolean> lift(String address);

  /** Lifts every ban; the number lifted. */
  Future<Integer> liftAll();
}
