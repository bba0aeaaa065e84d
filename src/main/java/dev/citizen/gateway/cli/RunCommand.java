package dev.citizen.gateway.cli;

import dev.citizen.gateway.config.ConfigException;
import dev.citizen.gateway.config.ConfigLoader;
import dev.citizen.gateway.server.Gateway;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway run --config FILE}: serves until stopped; the file is watched for changes. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Start the gateway from a YAML config file. Valid changes to the file are applied "
        + "without a restart; invalid ones are logged and the old config keeps serving.")
final class RunCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "YAML config file")
  Path config;

  @Option(names = "--reload-interval", defaultValue = "1000", paramLabel = "MILLIS",
      description = "How often the config file is checked for changes (default: ${DEFAULT-VALUE} ms)")
  long reloadInterval;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Runtimes.vertx();
    try {
      Gateway gateway = Gateway.start(vertx, config, new ConfigLoader(), reloadInterval).await();
      Runtimes.drainOnSignal(vertx, gateway);
      return Runtimes.waitForever();
    } catch (Exception e) {
      if (e instanceof ConfigException ce) {
        ce.errors().forEach(err -> spec.commandLine().getErr().println(config + ": " + err));
      } else {
        spec.commandLine().getErr().println("gateway failed to start: " + e.getMessage());
      }
      vertx.close();
      return 1;
    }
  }
}
