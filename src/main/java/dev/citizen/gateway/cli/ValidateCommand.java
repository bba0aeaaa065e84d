package dev.citizen.gateway.cli;

import dev.citizen.gateway.config.ConfigError;
import dev.citizen.gateway.config.ConfigException;
import dev.citizen.gateway.config.ConfigLoader;
import dev.citizen.gateway.server.Snapshot;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway validate --config FILE}: prints every error with its key path (exit 1) or "ok". */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a config file. Prints every error with the path of the offending key "
        + "and exits 1, or prints ok and exits 0.")
final class ValidateCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "YAML config file")
  Path config;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try {
      Snapshot.compile(new ConfigLoader().load(config));
      spec.commandLine().getOut().println("ok");
      return 0;
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        spec.commandLine().getErr().println(config + ": " + error);
      }
      return 1;
    }
  }
}
