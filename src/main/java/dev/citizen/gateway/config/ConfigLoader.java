package dev.citizen.gateway.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a YAML config into {@link GatewayConfig}: parse, substitute environment variables, bind
 * strictly (unknown keys are errors) and check it with {@link ConfigValidator}. Every error found
 * is reported at once.
 */
public final class ConfigLoader {
  private final Function<String, String> env;

  public ConfigLoader() {
    this(System::getenv);
  }

  public ConfigLoader(Function<String, String> env) {
    this.env = env;
  }

  public GatewayConfig load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(List.of(new ConfigError("", "cannot read " + file + ": " + e.getMessage())));
    }
    return parse(text, file.toString());
  }

  public GatewayConfig parse(String yaml, String label) throws ConfigException {
    List<ConfigError> errors = new ArrayList<>();
    Node root;
    try {
      LoadSettings settings = LoadSettings.builder().setLabel(label).setAllowDuplicateKeys(false)
          // YAML 1.2 core schema: "~" and "null" are null, as operators expect.
          .setSchema(new org.snakeyaml.engine.v2.schema.CoreSchema())
          .setMaxAliasesForCollections(10).build();
      Optional<Node> node = new Compose(settings).composeString(yaml);
      if (node.isEmpty()) {
        throw new ConfigException(List.of(new ConfigError("", "the config is empty")));
      }
      root = node.get();
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new ConfigException(List.of(new ConfigError("", "invalid YAML: " + e.getProblem(), line)));
    } catch (YamlEngineException e) {
      throw new ConfigException(List.of(new ConfigError("", "invalid YAML: " + e.getMessage())));
    }
    ConfigBinder binder = new ConfigBinder(errors, new EnvSubstitution(env));
    GatewayConfig config = (GatewayConfig) binder.bind(root, GatewayConfig.class, "");
    if (config == null && errors.isEmpty()) {
      errors.add(new ConfigError("", "the config is empty"));
    }
    if (config != null) {
      // A key that failed to bind is null (or its default) in the config, so the validator would
      // add "missing" or a range error for the very key already reported with its real problem.
      List<ConfigError> bindErrors = List.copyOf(errors);
      for (ConfigError e : ConfigValidator.validate(config)) {
        if (bindErrors.stream().noneMatch(b -> within(e.path(), b.path()))) {
          errors.add(e);
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return config;
  }

  /** Whether key path {@code path} is {@code parent} or lies below it. */
  private static boolean within(String path, String parent) {
    return path.equals(parent) || (path.startsWith(parent)
        && (path.charAt(parent.length()) == '.' || path.charAt(parent.length()) == '['));
  }

}
