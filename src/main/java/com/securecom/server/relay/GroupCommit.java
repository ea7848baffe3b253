package com.securecom.server.relay;

import com.securecom.server.relay.MessageRepository.Outcome;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit for the relay's writes: one writer thread takes whatever writes are waiting (up to
 * {@link #MAX_BATCH}) and commits them in one transaction; a second thread then runs each write's
 * continuation (sealing and sending the answers), in the order the writes were submitted, while the
 * writer commits the next batch. Nothing waits for a timer: under light load a batch holds one
 * write and commits at once; under heavy load the writes that queue during one commit share the
 * next, so the cost of a commit (an fsync) is spread over as many messages as arrived meanwhile.
 *
 * <p>Guarantees: a continuation runs only after its write committed (so {@code accepted} is only
 * ever said of a durable message) or failed; continuations run one at a time, in submission order,
 * so a connection's answers and deliveries keep the order of its frames, and {@link #afterPending}
 * runs after every write submitted before it. If a batch fails, each of its writes is retried in a
 * transaction of its own, so one bad write cannot fail the others. The queue is bounded: when it is
 * full, {@link #submit} blocks the submitting socket thread, which pushes back on the clients
 * through TCP.
 */
@ApplicationScoped
public class GroupCommit {
  private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
  static final int MAX_BATCH = 512;
  private static final int QUEUE_CAPACITY = 16_384;

  /** A write (or, for a barrier, none) and what to do once it is settled. */
  private record Pending(RelayWrite write, Consumer<Outcome> then) {}

  /** A committed batch and what each of its writes did, waiting for its continuations. */
  private record Settled(List<Pending> batch, List<Outcome> outcomes) {}

  private static final int SETTLE_CAPACITY = 64;

  private MessageRepository messages;
  private RelaySettings settings;
  private RelayMetrics metrics;

  /** A container resource: {@code @Resource} cannot be a constructor parameter. */
  @Resource ManagedThreadFactory threads;

  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final BlockingQueue<Settled> committed = new ArrayBlockingQueue<>(SETTLE_CAPACITY);
  private volatile boolean running;
  private Thread writer;
  private Thread settler;

  protected GroupCommit() {}

  @Inject
  public GroupCommit(MessageRepository messages, RelaySettings settings, RelayMetrics metrics) {
    this.messages = messages;
    this.settings = settings;
    this.metrics = metrics;
  }

  @PostConstruct
  void start() {
    running = true;
    writer = threads.newThread(this::writeLoop);
    writer.setName("securecom-group-commit");
    settler = threads.newThread(this::settleLoop);
    settler.setName("securecom-group-commit-answers");
    writer.start();
    settler.start();
  }

  @PreDestroy
  void stop() {
    running = false;
    writer.interrupt();
    join(writer);
    settler.interrupt();
    join(settler);
    List<Settled> done = new ArrayList<>();
    committed.drainTo(done);
    done.forEach(GroupCommit::settleAll);
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(p -> settle(p, Outcome.FAILED));
  }

  private static void join(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Queues {@code write}, blocking while the queue is full. {@code then} runs once the write
   * committed (or failed): on the group commit's answer thread, not the writer's, in submission
   * order; on the caller's thread, with {@code FAILED}, if the group commit has stopped or the
   * caller is interrupted while it waits.
   */
  public void submit(RelayWrite write, Consumer<Outcome> then) {
    enqueue(new Pending(write, then));
  }

  /** Runs {@code then} once every write submitted before it is settled. */
  public void afterPending(Runnable then) {
    enqueue(new Pending(null, outcome -> then.run()));
  }

  private void enqueue(Pending pending) {
    if (!running) {
      settle(pending, Outcome.FAILED);
      return;
    }
    try {
      queue.put(pending);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      settle(pending, Outcome.FAILED);
    }
  }

  private void writeLoop() {
    while (running) {
      List<Pending> batch = new ArrayList<>();
      try {
        batch.add(queue.take());
        queue.drainTo(batch, MAX_BATCH - 1);
        committed.put(commit(batch));
      } catch (InterruptedException e) {
        batch.forEach(p -> settle(p, Outcome.FAILED));
        return;
      }
    }
  }

  private Settled commit(List<Pending> batch) {
    List<RelayWrite> writes = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      if (p.write() != null) {
        writes.add(p.write());
      }
    }
    return new Settled(batch, writeBatch(writes));
  }

  private void settleLoop() {
    while (running || !committed.isEmpty()) {
      try {
        settleAll(committed.take());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void settleAll(Settled settled) {
    int next = 0;
    for (Pending p : settled.batch()) {
      settle(p, p.write() == null ? Outcome.APPLIED : settled.outcomes().get(next++));
    }
  }

  private List<Outcome> writeBatch(List<RelayWrite> writes) {
    if (writes.isEmpty()) {
      return List.of();
    }
    try {
      List<Outcome> outcomes = messages.writeAll(writes, settings.queueLimits());
      metrics.committed(writes.size());
      return outcomes;
    } catch (RuntimeException batchFailed) {
      LOG.log(
          Level.WARNING,
          "A relay batch of "
              + writes.size()
              + " writes failed ("
              + batchFailed.getClass().getName()
              + "); retrying each write alone");
      List<Outcome> outcomes = new ArrayList<>(writes.size());
      for (RelayWrite write : writes) {
        outcomes.add(writeAlone(write));
      }
      return outcomes;
    }
  }

  private Outcome writeAlone(RelayWrite write) {
    try {
      Outcome outcome = messages.writeAll(List.of(write), settings.queueLimits()).get(0);
      metrics.committed(1);
      return outcome;
    } catch (RuntimeException failed) {
      LOG.log(Level.WARNING, "A relay write failed: " + failed.getClass().getName());
      LOG.log(Level.FINE, "Relay write failure details", failed);
      return Outcome.FAILED;
    }
  }

  private static void settle(Pending pending, Outcome outcome) {
    try {
      pending.then().accept(outcome);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "A relay continuation failed: " + e.getClass().getName());
      LOG.log(Level.FINE, "Relay continuation failure details", e);
    }
  }
}
