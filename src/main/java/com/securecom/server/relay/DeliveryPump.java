package com.securecom.server.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The order in which one connection's user gets what the server holds for it: the stored queue
 * first, a page at a time while the connection has room (resumed as the client reads), then the
 * receipts the user is owed, then, once per connection, "caught up". Messages stored while the
 * queue is being sent (live ones, offered from other users' threads) wait until it was sent, so a
 * recipient sees each sender's messages in order; past a bound in envelope bytes the waiting ones
 * are dropped from memory and the queue is read once more from the start (they are stored).
 *
 * <p>{@link #recover()} (another node died with messages or receipts it never handed over) runs the
 * same catch-up again, whether it arrives before, during or after the first one; live messages
 * offered meanwhile wait as they do during the first. No call leaves the pump holding messages back
 * once a catch-up ended.
 *
 * <p>Thread-safe: {@link #offer} and {@link #recover} may come from any thread; at most one
 * catch-up runs at a time, on the thread of whichever caller started or resumed it.
 */
public final class DeliveryPump {
  /** How many queued messages one read fetches. */
  static final int PAGE = 16;

  /** What the server holds for the connection's user. */
  public interface Source {
    /**
     * Up to {@code limit} undelivered messages after sequence number {@code afterSeq}, oldest
     * first.
     */
    List<StoredMessage> queued(long afterSeq, int limit);

    /** The receipts owed to the user, oldest first. */
    List<Receipt> receiptsOwed();
  }

  /** The connection, as the pump sees it. */
  public interface Outbox {
    boolean isOpen();

    /** True while the unread bytes on the connection leave room for more of the queue. */
    boolean hasRoom();

    void deliver(StoredMessage message);

    /**
     * Sends a message not stored yet (the fast path): false, nothing sent, if the connection
     * already holds an unacknowledged copy of it.
     */
    boolean deliverBeforeStore(StoredMessage message);

    void receipt(Receipt receipt);

    /** The stored queue and the owed receipts were sent (once per connection). */
    void caughtUp();

    /** Reading the queue failed: the connection should end. */
    void failed(RuntimeException cause);
  }

  private final Source source;
  private final Outbox out;
  private final long maxHeldBackBytes;

  private final Object lock = new Object();
  private boolean catchingUp = true;
  private List<StoredMessage> heldBack = new ArrayList<>();
  private long heldBackBytes;
  private boolean rescan;
  private long cursor;
  private boolean caughtUpSent;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean paused = new AtomicBoolean();

  /**
   * {@code maxHeldBackBytes}: how many envelope bytes of live messages may wait in memory during a
   * catch-up.
   */
  public DeliveryPump(Source source, Outbox out, long maxHeldBackBytes) {
    this.source = source;
    this.out = out;
    this.maxHeldBackBytes = maxHeldBackBytes;
  }

  /** Starts the first catch-up (after {@code ready}), on the caller's thread. */
  public void start() {
    pump();
  }

  /**
   * A message stored for the user while it is connected: sent now, or after the catch-up running.
   */
  public void offer(StoredMessage message) {
    synchronized (lock) {
      if (!catchingUp) {
        out.deliver(message);
      } else if (!rescan) {
        heldBackBytes += message.envelope().length;
        if (heldBackBytes > maxHeldBackBytes) {
          heldBack.clear();
          heldBackBytes = 0;
          rescan = true;
        } else {
          heldBack.add(message);
        }
      }
    }
  }

  /**
   * A message not stored (yet), sent now if no catch-up is running: true if it was sent, false
   * (nothing done) if it would have to wait or the connection already has a copy of it.
   */
  public boolean offerNow(StoredMessage message) {
    synchronized (lock) {
      return !catchingUp && out.isOpen() && out.deliverBeforeStore(message);
    }
  }

  /**
   * Sends the stored queue and the owed receipts once more (a catch-up running reads the queue
   * again when done).
   */
  public void recover() {
    synchronized (lock) {
      if (catchingUp) {
        rescan = true;
        return;
      }
      catchingUp = true;
      heldBack = new ArrayList<>();
      heldBackBytes = 0;
      cursor = 0;
    }
    pump();
  }

  /**
   * Called as the client reads: true if a catch-up paused for room may now go on ({@link
   * #resume()}, on a thread of the caller's choosing). True at most once per pause.
   */
  public boolean shouldResume() {
    return paused.get() && out.hasRoom() && paused.compareAndSet(true, false);
  }

  /** Goes on with a paused catch-up. */
  public void resume() {
    pump();
  }

  private void pump() {
    while (out.isOpen() && running.compareAndSet(false, true)) {
      boolean finished;
      try {
        finished = step();
        if (!finished) {
          paused.set(true);
        }
      } catch (RuntimeException e) {
        out.failed(e);
        return;
      } finally {
        running.set(false);
      }
      if (finished) {
        synchronized (lock) {
          if (!catchingUp) {
            return;
          }
        }
        // recover() came as this run ended and could not start its own: it is this thread's to do.
      } else if (!out.hasRoom() || !paused.compareAndSet(true, false)) {
        return; // shouldResume() will restart it (or just did, on another thread)
      }
    }
  }

  /**
   * Sends queued messages until there is no room (false) or the queue and the receipts were sent
   * (true).
   */
  private boolean step() {
    while (out.isOpen()) {
      List<StoredMessage> page = source.queued(cursor, PAGE);
      for (StoredMessage m : page) {
        if (!out.hasRoom()) {
          return false;
        }
        synchronized (lock) {
          out.deliver(m);
        }
        cursor = m.seq();
      }
      if (page.size() == PAGE) {
        continue;
      }
      synchronized (lock) {
        if (rescan) {
          rescan = false;
          cursor = 0;
          continue;
        }
        heldBack.forEach(out::deliver);
        heldBack = null;
        catchingUp = false;
      }
      source.receiptsOwed().forEach(out::receipt);
      if (!caughtUpSent) {
        caughtUpSent = true;
        out.caughtUp();
      }
      return true;
    }
    return true;
  }
}
