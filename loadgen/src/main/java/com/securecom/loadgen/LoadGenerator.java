package com.securecom.loadgen;

import com.securecom.client.net.ServerApi;
import com.securecom.protocol.crypto.Bytes;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.glassfish.tyrus.client.ClientManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar loadgen/target/loadgen.jar --users 100 --rate 2000 --duration 60}: N simulated users, each
 * completing the real channel handshake and login (or, with {@code --bare}, a plain socket to the baseline relay),
 * send 1 KiB envelopes to random others at a target rate (open loop: latency counts from the intended send time, so
 * a stalled server cannot hide its queueing) or as fast as a per-user window allows ({@code --rate 0}). Reports
 * sustained throughput, send-to-delivery latency percentiles, handshakes per second, errors by kind, and the
 * server's CPU and heap. The last line is machine-readable: {@code CSV,kind,users,targetRate,deliveredPerSecond,
 * p50Ms,p99Ms,p999Ms,maxMs,errors,serverCpuCores,serverHeapMiB} (target rate 0 = as fast as the windows allow).
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
    description = "Load generator for the SecureCom relay (and the bare baseline relay).")
public final class LoadGenerator implements Callable<Integer> {
  @Option(names = "--server", defaultValue = "http://localhost:8080/", description = "Server URL.")
  URI server;

  @Option(names = "--users", defaultValue = "100", description = "Simulated users (one connection each).")
  int users;

  @Option(names = "--rate", defaultValue = "1000",
      description = "Target messages per second in total; 0 = as fast as the windows allow.")
  int rate;

  @Option(names = "--window", defaultValue = "10", description = "Messages in flight per user (closed loop).")
  int window;

  @Option(names = "--duration", defaultValue = "60", description = "Measured seconds.")
  int duration;

  @Option(names = "--warmup", defaultValue = "10", description = "Unmeasured seconds first.")
  int warmup;

  @Option(names = "--size", defaultValue = "1024", description = "Envelope bytes.")
  int size;

  @Option(names = "--senders", defaultValue = "4", description = "Sending threads.")
  int senders;

  @Option(names = "--bare", description = "Use the bare baseline relay (plain frames at /bare/{user}).")
  boolean bare;

  @Option(names = "--server-pid", defaultValue = "0",
      description = "The server's process id, to report its CPU time (server on this machine).")
  long serverPid;

  @Option(names = "--prefix", defaultValue = "lg", description = "User name prefix.")
  String prefix;

  @Option(names = "--password", defaultValue = "load generator password", description = "Users' password.")
  String password;

  private final Stats stats = new Stats();
  private final PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadGenerator()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<SimulatedUser> all = connectAll();
    SimulatedUser[] everyone = all.toArray(SimulatedUser[]::new);
    for (SimulatedUser u : everyone) {
      u.everyone = everyone;
    }
    ServerMetrics metrics = new ServerMetrics(server, serverPid);
    ExecutorService threads = Executors.newFixedThreadPool(senders);
    long start = System.nanoTime();
    long warmEnd = start + TimeUnit.SECONDS.toNanos(warmup);
    long end = warmEnd + TimeUnit.SECONDS.toNanos(duration);
    List<Future<?>> loops = new ArrayList<>();
    for (int t = 0; t < senders; t++) {
      int slice = t;
      loops.add(threads.submit(() -> sendLoop(everyone, slice, start, end)));
    }
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
      out.printf("%4ds %s sent %d delivered %d | last second p50 %.1f ms p99 %.1f ms | errors %s%n", second,
          measuring ? "measure" : "warmup ", stats.sent.sum(), stats.delivered.sum(),
          h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, stats.errorCounts());
    }
    for (Future<?> loop : loops) {
      loop.get();
    }
    long sent = stats.sent.sum() - measuredSent0;
    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
    stats.measuring = false;
    long delivered = stats.delivered.sum() - delivered0;
    Histogram total = stats.total;
    out.println();
    out.printf("RESULT %s users=%d target=%s size=%d duration=%ds%n", bare ? "bare-relay" : "securecom", users,
        rate == 0 ? "max(window " + window + ")" : rate + "/s", size, duration);
    out.printf("  throughput: sent %.0f msg/s, delivered %.0f msg/s%n", sent / (double) duration,
        delivered / (double) duration);
    out.printf("  latency send->delivery: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%d samples)%n",
        total.getValueAtPercentile(50) / 1000.0, total.getValueAtPercentile(99) / 1000.0,
        total.getValueAtPercentile(99.9) / 1000.0, total.getMaxValue() / 1000.0, total.getTotalCount());
    out.printf("  errors: %s%n", stats.errorCounts());
    out.printf("  %s%n", metrics.summary());
    out.printf(java.util.Locale.ROOT, "CSV,%s,%d,%d,%.0f,%.3f,%.3f,%.3f,%.3f,%d,%s%n", bare ? "bare" : "securecom",
        users, rate, delivered / (double) duration, total.getValueAtPercentile(50) / 1000.0,
        total.getValueAtPercentile(99) / 1000.0, total.getValueAtPercentile(99.9) / 1000.0,
        total.getMaxValue() / 1000.0, stats.errorCounts().values().stream().mapToLong(Long::longValue).sum(),
        metrics.csv());
    threads.shutdownNow();
    for (SimulatedUser u : everyone) {
      u.close();
    }
    return stats.errorCounts().isEmpty() ? 0 : 1;
  }

  private void sendLoop(SimulatedUser[] everyone, int slice, long start, long end) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    double perThread = rate / (double) senders;
    long k = 0;
    while (true) {
      long intended = rate > 0 ? start + (long) (k++ * 1e9 / perThread) : System.nanoTime();
      if (intended >= end || System.nanoTime() >= end) {
        return;
      }
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      int from = slice + senders * random.nextInt(Math.max(1, (everyone.length - slice + senders - 1) / senders));
      if (from >= everyone.length) {
        continue;
      }
      int to = random.nextInt(everyone.length - 1);
      if (to >= from) {
        to++;
      }
      SimulatedUser sender = everyone[from];
      try {
        if (rate == 0 && !sender.window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        sender.send(everyone[to], SimulatedUser.payload(size, intended, from));
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        stats.error(e.getClass().getSimpleName());
      }
    }
  }

  private List<SimulatedUser> connectAll() throws Exception {
    ServerApi api = new ServerApi(server);
    byte[] serverKey = bare ? null : Bytes.fromBase64(api.serverKey().getString("publicKey"));
    ClientManager client = ClientManager.createClient();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<SimulatedUser> all = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      all.add(bare ? new BareUser(prefix + "-" + i, i, window, stats) : new RelayUser(prefix + "-" + i, i, window,
          stats));
    }
    if (!bare) {
      out.printf("signing in %d users...%n", users);
      List<Future<String>> logins = new ArrayList<>();
      for (SimulatedUser u : all) {
        logins.add(pool.submit(() -> ((RelayUser) u).signIn(api, password)));
      }
      for (Future<String> f : logins) {
        tokens.add(f.get());
      }
    }
    long t0 = System.nanoTime();
    List<Future<?>> connects = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      SimulatedUser u = all.get(i);
      String token = bare ? null : tokens.get(i);
      connects.add(pool.submit(() -> {
        if (u instanceof RelayUser relay) {
          relay.connect(client, api, serverKey, token);
        } else {
          ((BareUser) u).connect(client, server);
        }
        return null;
      }));
    }
    for (Future<?> f : connects) {
      f.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    out.printf("connected %d users in %.1f s: %.0f handshakes+logins/s%n", users, seconds, users / seconds);
    pool.shutdown();
    return all;
  }

  Map<String, Long> errors() {
    return stats.errorCounts();
  }
}
