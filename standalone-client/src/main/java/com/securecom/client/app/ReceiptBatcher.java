package com.securecom.client.app;

import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.net.ServerUnreachableException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end receipts to each peer, collected for up to {@link #WAIT} or {@link #MAX_IDS} ids and
 * sent as one receipt message (docs/protocol.md, "Receipts": {@code of} holds 1 to 100 ids). A
 * client catching up on a backlog used to answer every text with a receipt of its own, a {@code
 * send} frame each, and the relay closed it for its rate (4429) after about 200 texts; now a
 * backlog of n texts from one peer costs about n / 100 receipts.
 *
 * <p>Receipts are best effort, as before: ids still collected when the process dies are not
 * receipted (the texts themselves were saved and acknowledged). A batch whose connection is gone
 * stays in the outbox and goes on the next connection. Thread-safe.
 */
final class ReceiptBatcher implements AutoCloseable {
  /** The most ids one receipt may name (docs/protocol.md). */
  static final int MAX_IDS = 100;

  /** How long the first id of a batch waits for others. */
  static final Duration WAIT = Duration.ofMillis(200);

  /** Sends one receipt about {@code about} (1 to {@link #MAX_IDS} ids) to {@code peer}. */
  @FunctionalInterface
  interface Sender {
    void send(String peer, MessagePayload.Kind kind, List<String> about);
  }

  private record Batch(String peer, MessagePayload.Kind kind) {}

  private final Sender sender;
  private final Duration wait;
  private final ScheduledExecutorService timer;
  private final Map<Batch, Set<String>> pending = new LinkedHashMap<>();
  private ScheduledFuture<?> due;

  /**
   * {@code wait}: how long a first id waits for others ({@link #WAIT}; zero: none, sent at once).
   */
  ReceiptBatcher(Sender sender, Duration wait) {
    this.sender = sender;
    this.wait = wait;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "securecom-receipts");
              t.setDaemon(true);
              return t;
            });
  }

  /** Receipts {@code id} to {@code peer}: within {@link #WAIT}, or at once if its batch is full. */
  void add(String peer, MessagePayload.Kind kind, String id) {
    Batch batch = new Batch(peer, kind);
    if (wait.isZero()) {
      send(batch, List.of(id));
      return;
    }
    Set<String> full = null;
    synchronized (this) {
      // a set: a receipt's ids must be distinct (docs/protocol.md), or the peer refuses it whole
      Set<String> ids = pending.computeIfAbsent(batch, b -> new LinkedHashSet<>());
      ids.add(id);
      if (ids.size() == MAX_IDS) {
        full = pending.remove(batch);
      } else if (due == null) {
        due = timer.schedule(this::flush, wait.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    if (full != null) {
      send(batch, full);
    }
  }

  /** Sends every batch now (before a one-shot run waits for its outbox, and at the end). */
  void flush() {
    Map<Batch, Set<String>> now;
    synchronized (this) {
      now = new LinkedHashMap<>(pending);
      pending.clear();
      if (due != null) {
        due.cancel(false);
        due = null;
      }
    }
    now.forEach(this::send);
  }

  private void send(Batch batch, Collection<String> ids) {
    try {
      sender.send(batch.peer(), batch.kind(), List.copyOf(ids));
    } catch (ServerUnreachableException connectionGone) {
      // the receipt was queued in the outbox first: it goes on the next connection
    }
  }

  @Override
  public void close() {
    flush();
    timer.shutdown();
  }
}
