package dev.citizen.gateway.config;

/**
 * Request size limits.
 *
 * @param maxHeaderBytes the whole request head, request line included; over it the answer is 431
 *     (default 8KiB)
 * @param maxUriBytes the request target; over it the answer is 414 (default 8KiB)
 * @param maxBodyBytes default body limit of routes, chunked bodies included; over it 413
 *     (default 10MiB)
 */
public record LimitsConfig(DataSize maxHeaderBytes, DataSize maxUriBytes, DataSize maxBodyBytes) {
  public static final LimitsConfig DEFAULT = new LimitsConfig(null, null, null);

  public LimitsConfig {
    maxHeaderBytes = maxHeaderBytes == null ? DataSize.ofKiB(8) : maxHeaderBytes;
    maxUriBytes = maxUriBytes == null ? DataSize.ofKiB(8) : maxUriBytes;
    maxBodyBytes = maxBodyBytes == null ? DataSize.ofMiB(10) : maxBodyBytes;
  }
}
