package dev.citizen.gateway.filter.waf;

/** The WAF's rules could not be loaded; {@link #setting} says which config key to blame. */
public final class WafLoadException extends RuntimeException {
  /** The config key at fault. */
  public enum Setting {
    /** {@code waf.crsDir}: the rule files. */
    CRS_DIR,
    /** {@code waf.crsSetup}. */
    CRS_SETUP,
    /** The route's {@code waf} key (its exclusions, or the engine itself). */
    ROUTE
  }

  private final Setting setting;

  public WafLoadException(Setting setting, String message) {
    super(message);
    this.setting = setting;
  }

  public Setting setting() {
    return setting;
  }
}
