package dev.citizen.gateway.blackbox;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;

/**
 * Deterministic test bodies of any size without holding them in memory: 64 KiB chunks of fixed
 * random bytes, each stamped with its index so a dropped, repeated or reordered chunk changes the
 * checksum. Plus a Vert.x writer that sends such a body with backpressure.
 */
final class StreamPattern {
  static final int CHUNK = 64 * 1024;
  private static final byte[] BLOCK = new byte[CHUNK];

  static {
    new Random(20240611L).nextBytes(BLOCK);
  }

  private StreamPattern() {}

  /** Chunk {@code index} of a body: the fixed block with the index in its first 8 bytes. */
  static byte[] chunk(long index) {
    byte[] c = BLOCK.clone();
    for (int i = 0; i < 8; i++) {
      c[i] = (byte) (index >>> (56 - 8 * i));
    }
    return c;
  }

  /** CRC32 of the first {@code size} bytes of the pattern. */
  static long crc(long size) {
    CRC32 crc = new CRC32();
    long done = 0;
    for (long k = 0; done < size; k++) {
      int n = (int) Math.min(CHUNK, size - done);
      crc.update(chunk(k), 0, n);
      done += n;
    }
    return crc.getValue();
  }

  /** The pattern as an InputStream of {@code size} bytes. */
  static InputStream stream(long size) {
    return new InputStream() {
      private long pos;
      private byte[] current;
      private long currentIndex = -1;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= size) {
          return -1;
        }
        long index = pos / CHUNK;
        if (index != currentIndex) {
          current = chunk(index);
          currentIndex = index;
        }
        int inChunk = (int) (pos % CHUNK);
        int n = (int) Math.min(Math.min(len, CHUNK - inChunk), size - pos);
        System.arraycopy(current, inChunk, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  /**
   * Writes {@code size} pattern bytes to {@code out} while its write queue has room, then waits
   * for the drain handler (backpressure), and ends it. Completes with the CRC32 of what was
   * written. Call on the response's event loop.
   */
  static CompletableFuture<Long> write(HttpServerResponse out, long size) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    new Object() {
      final CRC32 crc = new CRC32();
      long sent;
      long index;

      void pump() {
        while (sent < size && !out.writeQueueFull()) {
          byte[] c = chunk(index++);
          int n = (int) Math.min(CHUNK, size - sent);
          crc.update(c, 0, n);
          sent += n;
          out.write(n == CHUNK ? Buffer.buffer(c) : Buffer.buffer(c).getBuffer(0, n));
        }
        if (sent < size) {
          out.drainHandler(v -> pump());
        } else {
          out.end().onComplete(ar -> {
            if (ar.succeeded()) {
              done.complete(crc.getValue());
            } else {
              done.completeExceptionally(ar.cause());
            }
          });
        }
      }
    }.pump();
    out.exceptionHandler(done::completeExceptionally);
    return done;
  }
}
