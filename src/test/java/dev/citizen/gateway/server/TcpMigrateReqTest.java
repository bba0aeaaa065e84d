package dev.citizen.gateway.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up check behind the tcp_migrate_req warning, on files standing in for the sysctl. */
class TcpMigrateReqTest {
  @Test
  void onlyAnExplicitZeroCountsAsOff(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("tcp_migrate_req");
    Files.writeString(f, "0\n");
    assertTrue(Gateway.tcpMigrateReqOff(f));
    Files.writeString(f, "1\n");
    assertFalse(Gateway.tcpMigrateReqOff(f));
    assertFalse(Gateway.tcpMigrateReqOff(dir.resolve("absent")), "no sysctl (not Linux, old kernel): no warning");
  }
}
