package dev.citizen.gateway.cli;

import picocli.CommandLine;

/** The version printed by {@code --version}: from the jar manifest, or "dev" when run from classes. */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"Citizen Gateway " + (v == null ? "dev" : v)};
  }
}
