package dev.citizen.gateway.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The certificates of one PEM file, in file order (a leaf followed by its chain, or a set of CA
 * certificates), with the file's bytes as read.
 */
public record PemCertificates(Path file, byte[] pem, List<X509Certificate> certificates) {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*)-----END CERTIFICATE-----");

  /** Reads and parses {@code file}; {@code part} says which config key it came from. */
  public static PemCertificates read(TlsFileException.Part part, Path file) throws TlsFileException {
    return parse(part, file, PemFiles.read(part, file));
  }

  /** Parses PEM bytes read from {@code file}. */
  public static PemCertificates parse(TlsFileException.Part part, Path file, byte[] pem) throws TlsFileException {
    List<X509Certificate> certs = new ArrayList<>();
    Matcher m = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException | IllegalArgumentException e) {
      throw new TlsFileException(part, file, "holds a broken certificate: " + e.getMessage());
    }
    if (certs.isEmpty()) {
      throw new TlsFileException(part, file, "holds no certificate (expected: PEM, -----BEGIN CERTIFICATE-----)");
    }
    return new PemCertificates(file, pem, List.copyOf(certs));
  }

  /** The first certificate: the leaf of a chain. */
  public X509Certificate first() {
    return certificates.get(0);
  }
}
