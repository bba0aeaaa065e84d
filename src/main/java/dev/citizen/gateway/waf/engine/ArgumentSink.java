package dev.citizen.gateway.waf.engine;

/** Where body processors put what they find: arguments (ARGS, ARGS_POST, ...) and flags. */
interface ArgumentSink {
  /** @param origin {@code GET}, {@code POST} or {@code JSON} (JSON values are ARGS only, as in v3) */
  void addArgument(String origin, String name, String value);
}
