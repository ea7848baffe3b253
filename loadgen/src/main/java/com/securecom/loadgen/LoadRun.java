package com.securecom.loadgen;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;

/**
 * One run of the generator, for the command line and for tests: {@link #connect} signs every user
 * in and opens its connection, {@link #startSending} sends to random other users at the target rate
 * for the warm-up plus the duration (or until {@link #stopSending}), and {@link #result} tells at
 * any time what was sent, accepted, delivered, lost and duplicated. {@link #close} ends the
 * connections.
 *
 * <pre>{@code
 * try (LoadRun run = LoadRun.connect(options, System.out)) {
 *   run.startSending();
 *   run.awaitSendingFinished();
 *   run.awaitSettled(Duration.ofSeconds(30));
 *   LoadResult result = run.result();
 * }
 * }</pre>
 */
public final class LoadRun implements AutoCloseable {
  private static final long POLL_MILLIS = 50;

  private final LoadOptions options;
  private final Stats stats = new Stats();
  private final ScheduledExecutorService retries =
      Executors.newScheduledThreadPool(8, daemon("loadgen-reconnect"));
  private final List<SimulatedUser> users = new ArrayList<>();
  private final ExecutorService senders;
  private final List<Future<?>> loops = new ArrayList<>();
  private volatile boolean stopped;
  private long startNanos;

  private LoadRun(LoadOptions options) {
    this.options = options;
    this.senders = Executors.newFixedThreadPool(options.senders(), daemon("loadgen-sender"));
  }

  /**
   * Creates the users, signs them in (registering them unless an earlier run did) and connects them
   * all.
   *
   * @param log where progress lines go ("signing in...", "connected ...")
   */
  public static LoadRun connect(LoadOptions options, PrintStream log) throws Exception {
    LoadRun run = new LoadRun(options);
    try {
      run.connectAll(log);
      return run;
    } catch (Exception | Error e) {
      run.close();
      throw e;
    }
  }

  private void connectAll(PrintStream log) throws Exception {
    RelayAccess access =
        options.bare() ? null : RelayAccess.of(options.server(), options.password());
    for (int i = 0; i < options.users(); i++) {
      String name = options.prefix() + "-" + i;
      users.add(
          options.bare()
              ? new BareUser(name, i, options.window(), stats, options.acknowledged())
              : new RelayUser(name, i, options.window(), stats, access, options, retries));
    }
    SimulatedUser[] everyone = users.toArray(SimulatedUser[]::new);
    for (SimulatedUser u : everyone) {
      u.everyone = everyone;
    }
    ClientManager client = ClientManager.createClient();
    // One Grizzly transport for every connection: by default each client connection gets its own
    // selector and
    // worker threads (and descriptors), which at 10,000 connections exhausts the descriptors and
    // before that
    // spends the generator's CPU (on the server's two cores) on thread switching.
    client.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
    ExecutorService pool = Executors.newFixedThreadPool(8, daemon("loadgen-connect"));
    try {
      if (!options.bare()) {
        log.printf("signing in %d users...%n", users.size());
        List<Future<?>> logins = new ArrayList<>();
        for (SimulatedUser u : users) {
          logins.add(
              pool.submit(
                  () -> {
                    ((RelayUser) u).signIn();
                    return null;
                  }));
        }
        awaitAll(logins);
      }
      long t0 = System.nanoTime();
      List<Future<?>> connects = new ArrayList<>();
      for (SimulatedUser u : users) {
        connects.add(
            pool.submit(
                () -> {
                  if (u instanceof RelayUser relay) {
                    relay.connect(client);
                  } else {
                    ((BareUser) u).connect(client, options.server());
                  }
                  return null;
                }));
      }
      awaitAll(connects);
      double seconds = (System.nanoTime() - t0) / 1e9;
      log.printf(
          "connected %d users in %.1f s: %.0f handshakes+logins/s%n",
          users.size(), seconds, users.size() / seconds);
    } finally {
      pool.shutdown();
    }
  }

  private static void awaitAll(List<Future<?>> futures) throws Exception {
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception cause) {
          throw cause;
        }
        throw e;
      }
    }
  }

  /**
   * Starts the sending threads; they stop after the warm-up plus the duration, or at {@link
   * #stopSending}.
   */
  public synchronized void startSending() {
    if (!loops.isEmpty()) {
      throw new IllegalStateException("already sending");
    }
    SimulatedUser[] everyone = users.toArray(SimulatedUser[]::new);
    startNanos = System.nanoTime();
    long end = endNanos();
    for (int t = 0; t < options.senders(); t++) {
      int slice = t;
      loops.add(senders.submit(() -> sendLoop(everyone, slice, startNanos, end)));
    }
  }

  /** When sending started ({@link System#nanoTime()}). */
  synchronized long startNanos() {
    return startNanos;
  }

  /** When the warm-up ends and the measured time begins. */
  synchronized long warmupEndNanos() {
    return startNanos + options.warmup().toNanos();
  }

  /** When sending ends at the latest. */
  synchronized long endNanos() {
    return warmupEndNanos() + options.duration().toNanos();
  }

  private void sendLoop(SimulatedUser[] everyone, int slice, long start, long end) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int threads = options.senders();
    double perThread = options.rate() / (double) threads;
    long k = 0;
    while (!stopped) {
      long intended =
          options.rate() > 0 ? start + (long) (k++ * 1e9 / perThread) : System.nanoTime();
      if (intended >= end || System.nanoTime() >= end) {
        return;
      }
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      int from =
          slice
              + threads
                  * random.nextInt(Math.max(1, (everyone.length - slice + threads - 1) / threads));
      if (from >= everyone.length) {
        continue;
      }
      int to = random.nextInt(everyone.length - 1);
      if (to >= from) {
        to++;
      }
      SimulatedUser sender = everyone[from];
      try {
        if (options.rate() == 0 && !sender.window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        sender.send(everyone[to], intended, options.size());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        stats.error(e.getClass().getSimpleName());
      }
    }
  }

  /**
   * Waits until the sending threads have stopped (after the duration, or after {@link
   * #stopSending}).
   */
  public void awaitSendingFinished() throws InterruptedException {
    List<Future<?>> running;
    synchronized (this) {
      running = List.copyOf(loops);
    }
    for (Future<?> loop : running) {
      try {
        loop.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a sending thread failed", e.getCause());
      }
    }
  }

  /**
   * Stops sending new messages now and waits for the sending threads; answers and deliveries still
   * arrive.
   */
  public void stopSending() throws InterruptedException {
    stopped = true;
    awaitSendingFinished();
  }

  /**
   * Waits until every user has a live connection (after a server restart, say); false if the time
   * ran out.
   */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    return poll(timeout, () -> users.stream().allMatch(SimulatedUser::connected));
  }

  /**
   * Waits until everything sent is settled ({@link LoadResult#settled()}): every send answered,
   * every accepted message delivered and its receipt seen. False if the time ran out: then {@link
   * #result()} shows what is not.
   */
  public boolean awaitSettled(Duration timeout) throws InterruptedException {
    return poll(timeout, () -> result().settled());
  }

  /**
   * Waits until {@code condition} holds, checking every 50 ms; false if {@code timeout} passed
   * first.
   */
  private static boolean poll(Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return true;
  }

  /** Waits until the server has handled everything every connected user sent so far. */
  public void sync() throws Exception {
    for (SimulatedUser u : users) {
      if (u instanceof RelayUser relay) {
        relay.sync();
      }
    }
  }

  /** What happened so far (a consistent copy per user). */
  public LoadResult result() {
    List<UserLedger.Snapshot> ledgers = new ArrayList<>();
    for (SimulatedUser u : users) {
      if (u instanceof RelayUser relay) {
        ledgers.add(relay.ledger().snapshot());
      }
    }
    return LoadResult.of(ledgers, stats);
  }

  Stats stats() {
    return stats;
  }

  LoadOptions options() {
    return options;
  }

  /** Stops sending and reconnecting, and closes every connection. */
  @Override
  public void close() {
    stopped = true;
    senders.shutdownNow();
    retries.shutdownNow();
    for (SimulatedUser u : users) {
      try {
        u.close();
      } catch (Exception e) {
        // closing anyway
      }
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
