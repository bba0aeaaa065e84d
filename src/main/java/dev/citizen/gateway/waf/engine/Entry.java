package dev.citizen.gateway.waf.engine;

/** One value of a collection with its key: {@code ARGS:q = 1}. Byte strings. */
record Entry(String key, String value) {}
