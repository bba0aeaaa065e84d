package dev.citizen.gateway.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Binds a YAML node tree onto config records by reflection: a mapping's keys must be the record's
 * component names, so a key found in YAML is found in code under the same name.
 *
 * <p>It keeps going after an error so that one run reports every problem, each with its key path
 * and line. Missing keys bind to null and the record's compact constructor puts the default in.
 */
final class ConfigBinder {
  private final List<ConfigError> errors;
  private final EnvSubstitution env;

  ConfigBinder(List<ConfigError> errors, EnvSubstitution env) {
    this.errors = errors;
    this.env = env;
  }

  Object bind(Node node, Type type, String path) {
    if (node == null || isNull(node)) {
      return null;
    }
    Class<?> raw = rawClass(type);
    if (raw.isRecord() && raw != DataSize.class) {
      return bindRecord(node, raw, path);
    }
    if (raw == List.class) {
      return bindList(node, ((ParameterizedType) type).getActualTypeArguments()[0], path);
    }
    if (raw == Map.class) {
      return bindMap(node, ((ParameterizedType) type).getActualTypeArguments()[1], path);
    }
    if (!(node instanceof ScalarNode scalar)) {
      error(path, node, "expected a single value (" + describe(raw) + "), not a " + kind(node));
      return null;
    }
    String text;
    try {
      text = env.apply(scalar.getValue());
    } catch (IllegalArgumentException e) {
      error(path, node, e.getMessage());
      return null;
    }
    try {
      return convert(text, raw);
    } catch (IllegalArgumentException e) {
      error(path, node, quote(text) + " (" + e.getMessage() + ")");
      return null;
    }
  }

  private Object bindRecord(Node node, Class<?> type, String path) {
    if (!(node instanceof MappingNode mapping)) {
      error(path, node, "expected a mapping with keys " + keysOf(type) + ", not a " + kind(node));
      return null;
    }
    RecordComponent[] components = type.getRecordComponents();
    Object[] args = new Object[components.length];
    Set<String> seen = new HashSet<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = keyOf(tuple, path);
      if (key == null) {
        continue;
      }
      String childPath = join(path, key);
      if (!seen.add(key)) {
        error(childPath, tuple.getKeyNode(), "duplicate key");
        continue;
      }
      int index = indexOf(components, key);
      if (index < 0) {
        error(childPath, tuple.getKeyNode(), "unknown key (expected one of: " + keysOf(type) + ")");
        continue;
      }
      args[index] = bind(tuple.getValueNode(), components[index].getGenericType(), childPath);
    }
    try {
      Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
      Constructor<?> ctor = type.getDeclaredConstructor(types);
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      error(path, node, String.valueOf(e.getCause().getMessage()));
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("config record " + type.getName() + " cannot be built", e);
    }
  }

  private List<Object> bindList(Node node, Type elementType, String path) {
    if (!(node instanceof SequenceNode seq)) {
      error(path, node, "expected a list, not a " + kind(node));
      return null;
    }
    List<Object> out = new ArrayList<>(seq.getValue().size());
    int i = 0;
    for (Node item : seq.getValue()) {
      String itemPath = path + "[" + i++ + "]";
      if (isNull(item)) {
        error(itemPath, item, "empty list entry");
        out.add(null);
        continue;
      }
      // A failed entry stays as null (its error is reported): dropping it shifted the later
      // entries, so the validator named routes[1] what the file has as routes[2]. A config with
      // errors is never used, so the nulls never reach the gateway.
      out.add(bind(item, elementType, itemPath));
    }
    return java.util.Collections.unmodifiableList(out);
  }

  private Map<String, Object> bindMap(Node node, Type valueType, String path) {
    if (!(node instanceof MappingNode mapping)) {
      error(path, node, "expected a mapping, not a " + kind(node));
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = keyOf(tuple, path);
      if (key == null) {
        continue;
      }
      String childPath = join(path, key);
      if (out.containsKey(key)) {
        error(childPath, tuple.getKeyNode(), "duplicate key");
        continue;
      }
      Object value = bind(tuple.getValueNode(), valueType, childPath);
      if (value == null && isNull(tuple.getValueNode())) {
        error(childPath, tuple.getValueNode(), "missing value");
      }
      // Kept even when it failed (as null, error reported), so that a route naming this service
      // is not also reported as naming an unknown one.
      out.put(key, value);
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  private String keyOf(NodeTuple tuple, String path) {
    if (tuple.getKeyNode() instanceof ScalarNode k) {
      return k.getValue();
    }
    error(path, tuple.getKeyNode(), "keys must be plain strings");
    return null;
  }

  private static Object convert(String text, Class<?> type) {
    if (type == String.class) {
      return text;
    }
    if (type == Integer.class || type == int.class) {
      try {
        return Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected an integer");
      }
    }
    if (type == Long.class || type == long.class) {
      try {
        return Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected an integer");
      }
    }
    if (type == Double.class || type == double.class) {
      try {
        return Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a number");
      }
    }
    if (type == Boolean.class || type == boolean.class) {
      return switch (text.trim()) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> throw new IllegalArgumentException("expected true or false");
      };
    }
    if (type == Duration.class) {
      return Durations.parse(text);
    }
    if (type == DataSize.class) {
      return DataSize.parse(text);
    }
    if (type.isEnum()) {
      for (Object constant : type.getEnumConstants()) {
        if (enumName((Enum<?>) constant).equals(text.trim())) {
          return constant;
        }
      }
      throw new IllegalArgumentException("expected one of: " + Arrays.stream(type.getEnumConstants())
          .map(c -> enumName((Enum<?>) c)).collect(Collectors.joining(", ")));
    }
    throw new IllegalStateException("no config conversion for " + type);
  }

  /** Enum constants are written in config in kebab case: ROUND_ROBIN is {@code round-robin}. */
  static String enumName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String describe(Class<?> type) {
    if (type == Duration.class) {
      return "a duration such as 10s";
    }
    if (type == DataSize.class) {
      return "a size such as 8KiB";
    }
    if (type == Integer.class || type == Long.class) {
      return "an integer";
    }
    if (type == Boolean.class) {
      return "true or false";
    }
    return "a string";
  }

  private static String keysOf(Class<?> record) {
    return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
        .collect(Collectors.joining(", "));
  }

  private static int indexOf(RecordComponent[] components, String name) {
    for (int i = 0; i < components.length; i++) {
      if (components[i].getName().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
  }

  private static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "mapping";
    }
    return node instanceof SequenceNode ? "list" : "single value";
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    return (Class<?>) ((ParameterizedType) type).getRawType();
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String quote(String s) {
    String shown = s.length() > 60 ? s.substring(0, 60) + "…" : s;
    return "\"" + shown + "\"";
  }

  private void error(String path, Node node, String message) {
    int line = node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    errors.add(new ConfigError(path, message, line));
  }
}
