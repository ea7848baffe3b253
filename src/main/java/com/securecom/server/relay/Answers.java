package com.securecom.server.relay;

import com.securecom.protocol.wire.WireMessage;
import com.securecom.server.device.DeviceAddress;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The answers owed to one connection's frames, sent in the order of those frames whatever order
 * they are settled in: a {@code send} answered from the group commit's thread, one answered when
 * its recipient acknowledged it ({@link FastPath}) and a {@code pong} each take a {@link Slot} when
 * their frame arrives, and a slot's answers go out once every earlier slot's did.
 *
 * <p>Thread-safe; {@code out} is called under this object's lock, one answer at a time.
 */
public final class Answers {
  private final Consumer<WireMessage> out;
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private final Set<String> receiptsNotStored = new HashSet<>();
  private volatile int version = 1;

  /**
   * How many receipts sent from memory are remembered until their {@code receiptAck}; past it a
   * {@code receiptAck} costs a write that finds nothing, as for any unknown id.
   */
  static final int MAX_RECEIPTS_NOT_STORED = 4096;

  public Answers(Consumer<WireMessage> out) {
    this.out = out;
  }

  /**
   * The relay message version of the connection, once {@code ready} told it: from 3 on, a message
   * acknowledged before it was stored is answered {@code relayed} ({@link Reply#relayed}).
   */
  public void speak(int version) {
    this.version = version;
  }

  /** A place for the answer to the frame that arrived now, after every slot taken before. */
  public Slot next() {
    Slot slot = new Slot();
    synchronized (this) {
      slots.add(slot);
    }
    return slot;
  }

  /**
   * True (once) if the receipt for {@code id} was sent from memory, so its {@code receiptAck} has
   * nothing to forget in the database.
   */
  public synchronized boolean receiptNotStored(String id) {
    return receiptsNotStored.remove(id);
  }

  private void flush() {
    while (!slots.isEmpty() && slots.peek().answers != null) {
      for (WireMessage m : slots.poll().answers) {
        out.accept(m);
      }
    }
  }

  /** The answer to one frame: one or two messages, given once. */
  public final class Slot implements Reply {
    private WireMessage[] answers;

    private Slot() {}

    @Override
    public void answer(WireMessage message) {
      fill(message);
    }

    @Override
    public void relayed(String id, DeviceAddress to) {
      if (version >= WireMessage.DEVICES_VERSION) {
        fill(new WireMessage.Relayed(id, to.username(), to.deviceId()));
        return;
      }
      if (version >= 3) {
        fill(new WireMessage.Relayed(id, to.username()));
        return;
      }
      synchronized (Answers.this) {
        if (receiptsNotStored.size() < MAX_RECEIPTS_NOT_STORED) {
          receiptsNotStored.add(id);
        }
      }
      fill(new WireMessage.Delivered(id, to.username()), new WireMessage.Accepted(id));
    }

    private void fill(WireMessage... messages) {
      synchronized (Answers.this) {
        if (answers == null) {
          answers = messages;
          flush();
        }
      }
    }
  }
}
