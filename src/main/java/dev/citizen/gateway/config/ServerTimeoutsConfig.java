package dev.citizen.gateway.config;

import java.time.Duration;

/**
 * Client-side timeouts of the public listener.
 *
 * @param header a client must send its whole request head within this, or the connection is
 *     closed (slow-loris defence; default 10s)
 * @param idle idle keep-alive connections are closed after this (default 60s)
 */
public record ServerTimeoutsConfig(Duration header, Duration idle) {
  public static final ServerTimeoutsConfig DEFAULT = new ServerTimeoutsConfig(null, null);

  public ServerTimeoutsConfig {
    header = header == null ? Duration.ofSeconds(10) : header;
    idle = idle == null ? Duration.ofSeconds(60) : idle;
  }
}
