package com.securecom.loadgen;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code java -jar loadgen/target/loadgen.jar --users 100 --rate 2000 --duration 60}: N simulated
 * users, each completing the real channel handshake and login (or, with {@code --bare}, a plain
 * socket to the baseline relay, with {@code --acknowledged} acknowledging each message through it),
 * send 1 KiB envelopes to random others at a target rate (open loop: latency counts from the
 * intended send time, so a stalled server cannot hide its queueing) or as fast as a per-user window
 * allows ({@code --rate 0}). Reports sustained throughput, send-to-delivery latency percentiles,
 * handshakes per second, errors by kind, and the server's CPU and heap. The last line is
 * machine-readable: {@code CSV,kind,users,targetRate,deliveredPerSecond,
 * p50Ms,p99Ms,p999Ms,maxMs,errors,serverCpuCores,serverHeapMiB,generatorCpuCores} (target rate 0 =
 * as fast as the windows allow).
 */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    description = "Load generator for the SecureCom relay (and the bare baseline relay).")
public final class LoadGenerator implements Callable<Integer> {
  @Mixin private final LoadOptions options = new LoadOptions();

  @Option(
      names = "--server-pid",
      defaultValue = "0",
      description = "The server's process id, to report its CPU time (server on this machine).")
  long serverPid;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadGenerator()).execute(args));
  }

  /**
   * The options of this command line, for a {@link LoadRun}. Message ids are tracked only with
   * {@code --reconnect} (which needs them): without it nothing is delivered twice, and long runs
   * keep no per-message state.
   */
  LoadOptions options() {
    return options.trackMessages(options.reconnect());
  }

  @Override
  public Integer call() throws Exception {
    if (options.acknowledged() && !options.bare()) {
      System.err.println("loadgen: --acknowledged is an option of the bare relay (--bare)");
      return 2;
    }
    try (LoadRun run = LoadRun.connect(options(), out)) {
      return report(run);
    }
  }

  /** Sends for the warm-up and the duration, printing progress each second, then the result. */
  private int report(LoadRun run) throws Exception {
    Stats stats = run.stats();
    boolean bare = options.bare();
    long duration = options.duration().toSeconds();
    ServerMetrics metrics = new ServerMetrics(options.server(), serverPid);
    stats.measuring = options.warmup().isZero(); // else from the first second after the warm-up
    run.startSending();
    long start = run.startNanos();
    long warmEnd = run.warmupEndNanos();
    long end = run.endNanos();
    long measuredSent0 = 0;
    long delivered0 = 0;
    for (int second = 1; System.nanoTime() < end; second++) {
      LockSupport.parkNanos(start + TimeUnit.SECONDS.toNanos(second) - System.nanoTime());
      boolean measuring = System.nanoTime() >= warmEnd;
      if (measuring && !stats.measuring) {
        stats.measuring = true;
        stats.drainInterval();
        stats.total.reset();
        measuredSent0 = stats.sent.sum();
        delivered0 = stats.delivered.sum();
      }
      if (stats.measuring) {
        metrics.sample();
      }
      Histogram h = stats.drainInterval();
      out.printf(
          "%4ds %s sent %d delivered %d | last second p50 %.1f ms p99 %.1f ms | errors %s%n",
          second,
          measuring ? "measure" : "warmup ",
          stats.sent.sum(),
          stats.delivered.sum(),
          h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0,
          stats.problemCounts());
    }
    run.awaitSendingFinished();
    long sent = stats.sent.sum() - measuredSent0;
    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
    stats.measuring = false;
    long delivered = stats.delivered.sum() - delivered0;
    Histogram total = stats.total;
    Map<String, Long> problems = stats.problemCounts();
    out.println();
    out.printf(
        "RESULT %s users=%d target=%s size=%d duration=%ds%n",
        bare ? (options.acknowledged() ? "bare-relay-acknowledged" : "bare-relay") : "securecom",
        options.users(),
        options.rate() == 0 ? "max(window " + options.window() + ")" : options.rate() + "/s",
        options.size(),
        duration);
    out.printf(
        "  throughput: sent %.0f msg/s, delivered %.0f msg/s%n",
        sent / (double) duration, delivered / (double) duration);
    out.printf(
        "  latency send->delivery: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%d samples)%n",
        total.getValueAtPercentile(50) / 1000.0,
        total.getValueAtPercentile(99) / 1000.0,
        total.getValueAtPercentile(99.9) / 1000.0,
        total.getMaxValue() / 1000.0,
        total.getTotalCount());
    out.printf("  errors: %s%n", problems);
    if (!bare && options.reconnect()) {
      LoadResult result = run.result();
      out.printf(
          "  messages: %d unanswered, %d accepted and not delivered yet, %d duplicate deliveries removed,"
              + " %d reconnects%n",
          result.unanswered().size(),
          result.lost().size(),
          result.duplicatesRemoved(),
          result.reconnects());
    }
    out.printf("  %s%n", metrics.summary());
    out.printf(
        java.util.Locale.ROOT,
        "CSV,%s,%d,%d,%.0f,%.3f,%.3f,%.3f,%.3f,%d,%s%n",
        bare ? (options.acknowledged() ? "bare-acknowledged" : "bare") : "securecom",
        options.users(),
        options.rate(),
        delivered / (double) duration,
        total.getValueAtPercentile(50) / 1000.0,
        total.getValueAtPercentile(99) / 1000.0,
        total.getValueAtPercentile(99.9) / 1000.0,
        total.getMaxValue() / 1000.0,
        problems.values().stream().mapToLong(Long::longValue).sum(),
        metrics.csv());
    return problems.isEmpty() ? 0 : 1;
  }
}
