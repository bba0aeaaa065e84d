import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Paired comparison of two builds' WAF engines in one JVM and one thread (bench/waf-ab.sh). Each
 * build's classes get a class loader of their own over shared dependencies; batches of A and B
 * alternate (A B B A ...), each timed by the thread's CPU clock, and the result is the median of
 * the per-round ratios B/A. On a guest whose speed drifts by half within minutes, runs of one
 * build after the other compare the hour, not the code; rounds a few milliseconds apart do not.
 * The thread's CPU time leaves out the collector, which runs on other threads: compare garbage
 * with bench/waf-bench.sh or an allocation profile.
 *
 * <p>Usage: AbDriver CLASSPATH_FILE BODIES ROUNDS BATCH A_DIRS B_DIRS, where *_DIRS is a
 * colon-separated list (the build's classes and its compiled WafBatch).
 */
public final class AbDriver {
  private static final long WARM_UP_NANOS = Long.getLong("warmUpSeconds", 20) * 1_000_000_000L;

  public static void main(String[] args) throws Exception {
    List<URL> deps = new ArrayList<>();
    for (String p : Files.readString(Path.of(args[0])).trim().split(":")) {
      deps.add(Path.of(p).toUri().toURL());
    }
    String bodies = args[1];
    int rounds = Integer.parseInt(args[2]);
    int batch = Integer.parseInt(args[3]);
    ClassLoader shared = new URLClassLoader(deps.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    Method[] run = new Method[2];
    for (int b = 0; b < 2; b++) {
      String[] dirs = args[4 + b].split(":");
      URL[] urls = new URL[dirs.length];
      for (int i = 0; i < dirs.length; i++) {
        urls[i] = Path.of(dirs[i]).toUri().toURL();
      }
      Class<?> c = new URLClassLoader(urls, shared).loadClass("dev.citizen.gateway.filter.waf.WafBatch");
      c.getMethod("init", String.class, long.class).invoke(null, bodies, 42L);
      run[b] = c.getMethod("run", int.class);
    }
    ThreadMXBean clock = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    // Warm-up by the clock, not by a share of the rounds: C2 takes seconds to settle the engine's
    // large methods, and with few rounds a build measured against itself came out 1.25.
    long warmUntil = System.nanoTime() + WARM_UP_NANOS;
    for (int r = 0; System.nanoTime() < warmUntil; r++) {
      run[r % 2].invoke(null, batch);
    }
    double[][] us = new double[2][rounds];
    int refused = 0;
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < 2; k++) {
        int b = r % 2 == 0 ? k : 1 - k;
        long t0 = clock.getCurrentThreadCpuTime();
        refused += (Integer) run[b].invoke(null, batch);
        us[b][r] = (clock.getCurrentThreadCpuTime() - t0) / 1e3 / batch;
      }
    }
    // The first third too, in case the machine was still settling.
    int from = rounds / 3;
    String[] names = {"A", "B"};
    for (int b = 0; b < 2; b++) {
      double[] x = Arrays.copyOfRange(us[b], from, rounds);
      Arrays.sort(x);
      System.out.printf("%s  median %.1f us an evaluation (quartiles %.1f, %.1f)%n",
          names[b], x[x.length / 2], x[x.length / 4], x[3 * x.length / 4]);
    }
    double[] ratio = new double[rounds - from];
    for (int r = from; r < rounds; r++) {
      ratio[r - from] = us[1][r] / us[0][r];
    }
    Arrays.sort(ratio);
    System.out.printf("B / A  median %.3f (quartiles %.3f, %.3f) over %d paired rounds; %d refused%n",
        ratio[ratio.length / 2], ratio[ratio.length / 4], ratio[3 * ratio.length / 4], ratio.length, refused);
  }
}
