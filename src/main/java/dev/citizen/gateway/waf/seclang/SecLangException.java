package dev.citizen.gateway.waf.seclang;

/** A rule file that cannot be loaded: names the file and line, and what is wrong there. */
public final class SecLangException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SecLangException(String where, String problem) {
    super(where + ": " + problem);
  }

  public SecLangException(String where, String problem, Throwable cause) {
    super(where + ": " + problem, cause);
  }
}
