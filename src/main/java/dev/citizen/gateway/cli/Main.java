package dev.citizen.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code gateway} command: {@code run}, {@code validate}, {@code demo} and {@code hash-key}. */
@Command(name = "gateway", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Citizen Gateway: the API gateway of the Citizen healthcare suite.",
    subcommands = {RunCommand.class, ValidateCommand.class, DemoCommand.class, HashKeyCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
