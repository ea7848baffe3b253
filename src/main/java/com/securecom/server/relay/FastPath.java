package com.securecom.server.relay;

import com.securecom.server.device.DeviceAddress;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Messages delivered to an online recipient before they were stored, waiting for its {@code ack}
 * (docs/protocol.md, "Sending"). A message whose {@code ack} arrives within the window is durable
 * where it matters, at its recipient, and is never written; one whose window ends first is handed
 * back to be stored (then {@code accepted} as any other). Exactly one of the two happens to each
 * message, and an {@code ack} that comes after its message was handed back is submitted after that
 * store (so the group commit applies it after).
 *
 * <p>The window ({@link RelaySettings#fastPathWindow()}, 2 s by default) is wide enough for a
 * server that has fallen behind: then every {@code ack} comes late, and storing those messages
 * would add a write each to a server already behind, which makes the next {@code ack}s later still
 * (the cliff of docs/performance.md: with a 250 ms window a fresh server under load delivered half
 * of what it was sent, and never caught up).
 *
 * <p>Memory: the envelopes waiting (their bytes and the base64 text kept for the {@code deliver})
 * are at most {@link RelaySettings#fastPathMaxBytes()} in all, whatever the window and however many
 * recipients never acknowledge; a message over that budget is stored first instead.
 *
 * <p>Thread-safe. One thread ends the windows, every quarter window (at most every 250 ms); no
 * timer per message.
 */
@ApplicationScoped
public class FastPath {
  private static final Logger LOG = Logger.getLogger(FastPath.class.getName());

  /** What happens to a waiting message: acknowledged in time, or its window ended. */
  public interface Waiting {
    /** The recipient acknowledged it in time: nothing was or will be stored. */
    void acknowledged();

    /**
     * Its window ended (or the server stops): store it now. Runs before any later {@code ack} of
     * the message is handed to the caller of {@link #acknowledge}.
     */
    void store();
  }

  private static final class Entry {
    final Waiting waiting;
    final long started;
    final int bytes;
    boolean settled;

    Entry(Waiting waiting, long started, int bytes) {
      this.waiting = waiting;
      this.started = started;
      this.bytes = bytes;
    }
  }

  /** A waiting message: its recipient, sender and id (no string built per lookup). */
  private record Key(DeviceAddress recipient, DeviceAddress sender, String id) {}

  private final Map<Key, Entry> waiting = new ConcurrentHashMap<>();
  private final AtomicLong bytesWaiting = new AtomicLong();
  private final LongAdder refusedOverBudget = new LongAdder();

  private RelaySettings settings;
  private Clock clock;

  /** A container resource: {@code @Resource} cannot be a constructor parameter. */
  @Resource ManagedThreadFactory threads;

  private volatile boolean running;
  private Thread sweeper;

  protected FastPath() {}

  @Inject
  public FastPath(RelaySettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  @PostConstruct
  void start() {
    if (!enabled()) {
      return;
    }
    running = true;
    sweeper = threads.newThread(this::sweepLoop);
    sweeper.setName("securecom-fast-path");
    sweeper.setDaemon(true);
    sweeper.start();
  }

  @PreDestroy
  void stop() {
    running = false;
    if (sweeper != null) {
      sweeper.interrupt();
      try {
        sweeper.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    waiting.keySet().forEach(this::expire);
  }

  /** True if messages may take the fast path at all (a positive window). */
  public boolean enabled() {
    return !settings.fastPathWindow().isZero() && !settings.fastPathWindow().isNegative();
  }

  /**
   * Starts the window of {@code message}, which the caller delivers right after; false (nothing
   * started: store it first) if the same message is already waiting, or if its envelope would take
   * what the messages waiting hold over {@link RelaySettings#fastPathMaxBytes()}.
   */
  public boolean await(StoredMessage message, Waiting then) {
    int bytes = heldBytes(message);
    if (bytesWaiting.addAndGet(bytes) > settings.fastPathMaxBytes()) {
      bytesWaiting.addAndGet(-bytes);
      refusedOverBudget.increment();
      return false;
    }
    Entry entry = new Entry(then, clock.millis(), bytes);
    if (waiting.putIfAbsent(key(message), entry) != null) {
      bytesWaiting.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  /**
   * Gives up a window started by {@link #await} before anything was delivered (the recipient could
   * not take it now): true if the caller is now to store the message itself, false if its window
   * already ended and it was handed to {@link Waiting#store()}.
   */
  public boolean cancel(StoredMessage message) {
    Entry entry = waiting.remove(key(message));
    if (entry == null) {
      return false;
    }
    bytesWaiting.addAndGet(-entry.bytes);
    synchronized (entry) {
      if (entry.settled) {
        return false;
      }
      entry.settled = true;
      return true;
    }
  }

  /**
   * The recipient acknowledged (sender, id): true if that message was waiting and is now settled
   * without a write; false if the caller should acknowledge it in the database (it was never on the
   * fast path, or its window ended and its store was already submitted).
   */
  public boolean acknowledge(DeviceAddress recipient, DeviceAddress sender, String id) {
    Key key = new Key(recipient, sender, id);
    Entry entry = waiting.get(key);
    if (entry == null) {
      return false;
    }
    synchronized (entry) {
      if (entry.settled) {
        return false;
      }
      entry.settled = true;
      forget(key, entry);
    }
    entry.waiting.acknowledged();
    return true;
  }

  /**
   * Ends the window of (sender, id) to {@code recipient} now, if one is open: its message is handed
   * to {@link Waiting#store()} on the caller's thread, so that a write the caller submits next is
   * applied after that store. Nothing happens if no window is open.
   */
  public void endWindow(DeviceAddress recipient, DeviceAddress sender, String id) {
    expire(new Key(recipient, sender, id));
  }

  /** Messages waiting now. */
  public int size() {
    return waiting.size();
  }

  /** Bytes of envelopes (binary and base64) waiting now. */
  public long bytesWaiting() {
    return bytesWaiting.get();
  }

  /**
   * How many messages {@link #await} refused since start-up because the budget was full (they were
   * stored first); a duplicate's refusal does not count.
   */
  public long refusedOverBudget() {
    return refusedOverBudget.sum();
  }

  /** Ends every window that is over at {@code now} (the sweeper's work; for tests too). */
  void expireDue(long now) {
    long window = settings.fastPathWindow().toMillis();
    waiting.forEach(
        (key, entry) -> {
          if (now - entry.started >= window) {
            expire(key);
          }
        });
  }

  /** Hands the message of {@code key} to the store if it is still waiting. */
  private void expire(Key key) {
    Entry entry = waiting.get(key);
    if (entry == null) {
      return;
    }
    synchronized (entry) {
      if (!entry.settled) {
        entry.settled = true;
        try {
          entry.waiting.store();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Storing a fast-path message failed: " + e.getClass().getName());
        }
      }
    }
    forget(key, entry);
  }

  private void forget(Key key, Entry entry) {
    if (waiting.remove(key, entry)) {
      bytesWaiting.addAndGet(-entry.bytes);
    }
  }

  private void sweepLoop() {
    long period = Math.max(1, Math.min(250, settings.fastPathWindow().toMillis() / 4));
    while (running) {
      try {
        Thread.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
      expireDue(clock.millis());
    }
  }

  /** What a waiting message holds of its envelope: the bytes, and the base64 text if kept. */
  private static int heldBytes(StoredMessage message) {
    String text = message.envelopeText();
    return message.envelope().length + (text == null ? 0 : text.length());
  }

  private static Key key(StoredMessage message) {
    return new Key(message.to(), message.from(), message.id());
  }
}
