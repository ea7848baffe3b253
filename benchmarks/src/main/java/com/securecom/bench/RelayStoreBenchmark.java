package com.securecom.bench;

import com.securecom.server.relay.MessageRepository.Outcome;
import com.securecom.server.relay.QueueLimits;
import com.securecom.server.relay.RelayWrite;
import com.securecom.server.relay.StoredMessage;
import com.securecom.server.relay.store.JpaMessageRepository;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The relay's durable path on the default database (an H2 file, every commit forced), in process,
 * as the group commit's writer drives it: one operation is one 1 KiB message's whole stored life,
 * written in full batches of {@value #BATCH} among 100 users to random others, with the server's
 * default queue limits. {@link #threeBatches}: the store in one batch, the recipient's
 * acknowledgement in the next, the forgetting of the receipt in a third (a message stored first).
 * {@link #storeAndAckInOneBatch}: the store and its acknowledgement in one batch, then the receipt
 * (a fast-path message whose window ended while the writer was behind). Every write must do what it
 * should (stored, applied), or the run fails.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Thread)
public class RelayStoreBenchmark {
  static final int BATCH = 512;
  private static final int USERS = 100;

  /** The server's defaults (securecom.relay.*). */
  private static final QueueLimits LIMITS =
      new QueueLimits(1_000, 16L << 20, 200, 4L << 20, 5_000, 64L << 20);

  private final Random random = new Random(1);
  private final byte[] envelope = new byte[1024];
  private H2File h2;
  private JpaMessageRepository messages;
  private long next;

  @Setup(Level.Trial)
  public void open() throws IOException {
    random.nextBytes(envelope);
    List<String> users = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      users.add("u" + u);
    }
    h2 = new H2File("relay-store-bench", users);
    messages = new JpaMessageRepository(h2.database, Clock.systemUTC());
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    h2.close();
  }

  private List<StoredMessage> nextMessages() {
    long now = System.currentTimeMillis();
    List<StoredMessage> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      int from = random.nextInt(USERS);
      int to = (from + 1 + random.nextInt(USERS - 1)) % USERS;
      batch.add(
          new StoredMessage(
              0, "u" + from, "m" + next++, "u" + to, envelope, now, now + 86_400_000L));
    }
    return batch;
  }

  private void write(List<RelayWrite> writes, Outcome... expected) {
    List<Outcome> outcomes = messages.writeAll(writes, LIMITS);
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) != expected[i % expected.length]) {
        throw new IllegalStateException(writes.get(i) + ": " + outcomes.get(i));
      }
    }
  }

  private static RelayWrite ack(StoredMessage m) {
    return new RelayWrite.Acknowledge(
        m.to(), m.from(), m.id(), System.currentTimeMillis(), m.envelope().length);
  }

  /** Stored first: store, acknowledgement and receipt each in a batch of their own. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void threeBatches() {
    List<StoredMessage> batch = nextMessages();
    List<RelayWrite> stores = new ArrayList<>(BATCH);
    List<RelayWrite> acks = new ArrayList<>(BATCH);
    List<RelayWrite> forgets = new ArrayList<>(BATCH);
    for (StoredMessage m : batch) {
      stores.add(new RelayWrite.Store(m));
      acks.add(ack(m));
      forgets.add(new RelayWrite.ForgetReceipt(m.from(), m.id()));
    }
    write(stores, Outcome.STORED);
    write(acks, Outcome.APPLIED);
    write(forgets, Outcome.APPLIED);
  }

  /** A window that ended while the writer was behind: store and acknowledgement in one batch. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void storeAndAckInOneBatch() {
    List<StoredMessage> batch = nextMessages();
    List<RelayWrite> both = new ArrayList<>(2 * BATCH);
    List<RelayWrite> forgets = new ArrayList<>(BATCH);
    for (StoredMessage m : batch) {
      both.add(new RelayWrite.Store(m));
      both.add(ack(m));
      forgets.add(new RelayWrite.ForgetReceipt(m.from(), m.id()));
    }
    write(both, Outcome.STORED, Outcome.APPLIED);
    write(forgets, Outcome.APPLIED);
  }
}
