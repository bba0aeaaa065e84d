package dev.citizen.gateway.accesslog;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.Flushable;
import java.io.IOException;

/**
 * The access log's appender: stdout through a 64 KiB buffer, flushed by the access log's writer
 * thread whenever it has no more lines waiting ({@link AccessLogWriter}), instead of a write system
 * call per line as Logback's ConsoleAppender makes. Under load lines go out in large writes; when
 * traffic is light every line is flushed as soon as it is written, so none waits in the buffer.
 *
 * <p>Only for a logger written by a single thread (the access log's writer): the buffer is not
 * shared with other log output, whose lines go straight to stdout in whole writes.
 */
public final class BufferedStdoutAppender extends OutputStreamAppender<ILoggingEvent> implements Flushable {
  private static final int BUFFER_BYTES = 64 * 1024;

  @Override
  public void start() {
    setImmediateFlush(false);
    setOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), BUFFER_BYTES));
    super.start();
  }

  @Override
  public void flush() throws IOException {
    streamWriteLock.lock();
    try {
      if (getOutputStream() != null) {
        getOutputStream().flush();
      }
    } finally {
      streamWriteLock.unlock();
    }
  }
}
