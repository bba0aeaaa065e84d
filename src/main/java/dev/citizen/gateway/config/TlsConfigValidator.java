package dev.citizen.gateway.config;

import dev.citizen.gateway.tls.PemCertificates;
import dev.citizen.gateway.tls.PemKeyPair;
import dev.citizen.gateway.tls.TlsFileException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The TLS part of {@link ConfigValidator}: {@code server.tls} and {@code services.*.tls}. The
 * files are read and parsed here (certificates, keys, and whether a key fits its certificate), so
 * {@code gateway validate} and a reload reject a pair that the listener or client could not use.
 * Relative paths are relative to the gateway's working directory.
 */
final class TlsConfigValidator {
  private static final String HOST_NAME =
      "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*";

  private TlsConfigValidator() {}

  static void server(List<ConfigError> errors, String path, ServerConfig server) {
    ServerTlsConfig tls = server.tls();
    if (tls == null) {
      return;
    }
    keyPair(errors, path, tls.certFile(), tls.keyFile(), true);
    Integer redirect = tls.redirectPort();
    if (redirect != null) {
      if (redirect < 0 || redirect > 65535) {
        errors.add(new ConfigError(path + ".redirectPort", redirect + " (expected: 0..65535)"));
      } else if (redirect != 0 && redirect.equals(server.port())) {
        errors.add(new ConfigError(path + ".redirectPort", redirect + " (expected: a port other than server.port)"));
      }
    }
  }

  static void service(List<ConfigError> errors, String path, ServiceConfig s) {
    ServiceTlsConfig tls = s.tls();
    if (tls == null) {
      return;
    }
    if (!hasHttpsEndpoint(s)) {
      errors.add(new ConfigError(path, "set, but no endpoint is https:// (expected: https:// endpoint URLs)"));
    }
    if (tls.caFile() != null) {
      Path ca = path(errors, path + ".caFile", tls.caFile());
      if (ca != null) {
        try {
          PemCertificates.read(TlsFileException.Part.CA, ca);
        } catch (TlsFileException e) {
          errors.add(new ConfigError(path + ".caFile", quote(tls.caFile()) + " (" + e.problem() + ")"));
        }
      }
    }
    if (tls.certFile() != null || tls.keyFile() != null) {
      keyPair(errors, path, tls.certFile(), tls.keyFile(), false);
    }
    if (tls.serverName() != null && !tls.serverName().matches(HOST_NAME)) {
      errors.add(new ConfigError(path + ".serverName", quote(tls.serverName()) + " (expected: a host name)"));
    }
  }

  /** certFile and keyFile: both or neither, readable, PEM, and the key fits the certificate. */
  private static void keyPair(List<ConfigError> errors, String path, String certFile, String keyFile,
      boolean required) {
    if (certFile == null || keyFile == null) {
      if (certFile == null && (required || keyFile != null)) {
        errors.add(new ConfigError(path + ".certFile", "missing (expected: a PEM certificate file, set together "
            + "with keyFile)"));
      }
      if (keyFile == null && (required || certFile != null)) {
        errors.add(new ConfigError(path + ".keyFile", "missing (expected: the PEM private key file of certFile)"));
      }
      return;
    }
    Path cert = path(errors, path + ".certFile", certFile);
    Path key = path(errors, path + ".keyFile", keyFile);
    if (cert == null || key == null) {
      return;
    }
    try {
      PemKeyPair.read(cert, key);
    } catch (TlsFileException e) {
      boolean inKey = e.part() == TlsFileException.Part.KEY;
      errors.add(new ConfigError(path + (inKey ? ".keyFile" : ".certFile"),
          quote(inKey ? keyFile : certFile) + " (" + e.problem() + ")"));
    }
  }

  private static Path path(List<ConfigError> errors, String path, String value) {
    try {
      if (value.isBlank()) {
        errors.add(new ConfigError(path, "empty (expected: a file path)"));
        return null;
      }
      return Path.of(value);
    } catch (InvalidPathException e) {
      errors.add(new ConfigError(path, quote(value) + " (expected: a file path: " + e.getReason() + ")"));
      return null;
    }
  }

  private static boolean hasHttpsEndpoint(ServiceConfig s) {
    for (Map.Entry<String, VersionConfig> v : s.effectiveVersions().entrySet()) {
      if (v.getValue() == null) {
        continue;
      }
      for (EndpointConfig e : v.getValue().endpoints()) {
        if (e != null && e.url() != null && e.url().regionMatches(true, 0, "https:", 0, 6)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether an endpoint URL (valid per the endpoint checks) asks for TLS. */
  static boolean isHttps(URI u) {
    return "https".equals(u.getScheme());
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
