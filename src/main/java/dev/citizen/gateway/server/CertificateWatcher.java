package dev.citizen.gateway.server;

import dev.citizen.gateway.config.ServerTlsConfig;
import dev.citizen.gateway.tls.PemFiles;
import dev.citizen.gateway.tls.PemKeyPair;
import dev.citizen.gateway.tls.TlsFileException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code server.tls.certFile} and {@code keyFile} and applies a changed pair to the public
 * listener without a restart: new connections get the new certificate, open ones keep theirs.
 *
 * <p>Like {@link ConfigReloader} it polls the files' contents rather than using inotify
 * (certificate tooling and Kubernetes secrets replace files by rename or symlink swap), reading
 * and parsing off the event loop. A pair that cannot be used (unreadable, not PEM, a key that is
 * not the certificate's) is logged as an error naming the file, once per distinct problem, and the
 * certificate in use keeps serving; the next change is tried again. Replacing the certificate
 * before its key shows that error for a moment: replace both at once (rename a directory, or a
 * secret mount) to avoid it. The paths come from the config now serving, so a reload that names
 * other files switches to them.
 */
final class CertificateWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateWatcher.class);

  private final Vertx vertx;
  private final Supplier<ServerTlsConfig> config;
  private final Function<PemKeyPair, Future<?>> apply;
  private PemKeyPair current;
  /** The last problem logged, so that a file that stays bad is not logged at every poll. */
  private String lastProblem;
  private long timerId = -1;
  private boolean busy;

  /**
   * @param config the TLS settings now serving (null once a reload turned TLS off: then nothing is
   *     watched until a restart)
   * @param initial the pair the listener started with
   * @param apply hands a new pair to the listener; a failed future keeps {@code initial}'s successor
   */
  CertificateWatcher(Vertx vertx, Supplier<ServerTlsConfig> config, PemKeyPair initial,
      Function<PemKeyPair, Future<?>> apply) {
    this.vertx = vertx;
    this.config = config;
    this.current = initial;
    this.apply = apply;
  }

  void start(long intervalMillis) {
    timerId = vertx.setPeriodic(intervalMillis, id -> check());
  }

  void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  /** The outcome of one poll: nothing new, a usable pair, or a problem. */
  private record Polled(PemKeyPair pair, String problem) {
    static final Polled UNCHANGED = new Polled(null, null);
  }

  private void check() {
    ServerTlsConfig tls = config.get();
    if (busy || tls == null || tls.certFile() == null || tls.keyFile() == null) {
      return;
    }
    busy = true;
    PemKeyPair now = current;
    vertx.executeBlocking(() -> poll(tls, now)).onComplete(ar -> {
      if (ar.failed()) {
        busy = false;
        report("server.tls: checking " + tls.certFile() + " failed: " + ar.cause());
        return;
      }
      Polled polled = ar.result();
      if (polled.problem() != null) {
        busy = false;
        report("server.tls: " + polled.problem() + "; the certificate in use keeps serving");
      } else if (polled.pair() == null) {
        busy = false;
        lastProblem = null; // back to the pair in use: a later bad change is news again
      } else {
        applyPair(polled.pair());
      }
    });
  }

  private static Polled poll(ServerTlsConfig tls, PemKeyPair now) {
    Path certFile = Path.of(tls.certFile());
    Path keyFile = Path.of(tls.keyFile());
    try {
      byte[] cert = PemFiles.read(TlsFileException.Part.CERT, certFile);
      byte[] key = PemFiles.read(TlsFileException.Part.KEY, keyFile);
      if (now.certFile().equals(certFile) && now.keyFile().equals(keyFile) && now.sameContent(cert, key)) {
        return Polled.UNCHANGED;
      }
      return new Polled(PemKeyPair.parse(certFile, cert, keyFile, key), null);
    } catch (TlsFileException e) {
      return new Polled(null, (e.part() == TlsFileException.Part.KEY ? "keyFile " : "certFile ") + e.getMessage());
    }
  }

  private void applyPair(PemKeyPair pair) {
    apply.apply(pair).onComplete(ar -> {
      busy = false;
      if (ar.failed()) {
        report("server.tls: the listener refused the certificate in " + pair.certFile() + " ("
            + ar.cause().getMessage() + "); the certificate in use keeps serving");
        return;
      }
      current = pair;
      lastProblem = null;
      LOG.info("server.tls: new certificate from {} serves new connections: {}", pair.certFile(), pair.describe());
      warnIfExpired(pair);
    });
  }

  private void report(String problem) {
    if (!problem.equals(lastProblem)) {
      lastProblem = problem;
      LOG.error(problem);
    }
  }

  /** Expired certificates are served (clients decide), but said loudly. */
  static void warnIfExpired(PemKeyPair pair) {
    Instant notAfter = pair.leaf().getNotAfter().toInstant();
    if (notAfter.isBefore(Instant.now())) {
      LOG.warn("server.tls: the certificate in {} expired at {}; clients will refuse it", pair.certFile(), notAfter);
    }
  }
}
